using Abono.Bench;

// dotnet run -c Release --project bench/Abono.Bench -- generate|run|import --provider postgres|sqlite --connection "..." [--documents N --customers N --payments N --iterations N]
var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
var provider = options.GetValueOrDefault("provider", "sqlite");
var connection = options.GetValueOrDefault("connection", "Data Source=bench/abono-bench.db");
var database = new BenchDatabase(provider, connection);
int Int(string key, int fallback) => options.TryGetValue(key, out var v) && int.TryParse(v, out var n) ? n : fallback;

switch (args.FirstOrDefault())
{
    case "generate":
        await Generator.RunAsync(database, Int("documents", 1_000_000), Int("customers", 100_000), Int("payments", 100_000), Int("others", 3));
        break;
    case "run":
        await Runner.RunAsync(database, Int("iterations", 30));
        break;
    case "import":
        await ImportBench.RunAsync(database, Int("documents", 100_000));
        break;
    case "load":
        await LoadBench.RunAsync(database, new LoadOptions(
            options.GetValueOrDefault("app", "src/Abono.Web/bin/Release/net10.0/Abono.Web.dll"), options.GetValueOrDefault("content-root", "src/Abono.Web"),
            Int("seconds", 10), options.GetValueOrDefault("levels", "1,2,4,8,16,32,64").Split(',').Select(int.Parse).ToArray(), Int("customers", 1000),
            WarmupSeconds: Int("warmup", 45),
            SliceSeconds: double.Parse(options.GetValueOrDefault("slice", "2"), System.Globalization.CultureInfo.InvariantCulture),
            Repeats: Int("repeats", 3), Confirmations: Int("confirmations", 900), AppConnection: options.GetValueOrDefault("app-connection")));
        break;
    case "micro":
        await MicroBench.RunAsync(database, options.GetValueOrDefault("code", "BENCHGRANEMPRESA"));
        break;
    case "baseline":
        await BaselineServer.RunAsync(connection, Int("port", 5091), options.GetValueOrDefault("webroot", "src/Abono.Web/wwwroot"), Int("token-length", 155));
        break;
    default:
        Console.WriteLine("Usage: generate|run|import|load|baseline --provider postgres|sqlite --connection \"...\" [--documents 1000000 --customers 100000 --payments 100000 --others 3 --iterations 30] [load: --app dll --content-root dir --seconds 10 --levels 1,2,4 --customers 1000 --warmup 45 --slice 2 --repeats 3 --confirmations 900 --app-connection \"...\"]");
        return 2;
}
return 0;
