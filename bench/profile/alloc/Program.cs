using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// The runtime's allocation ticks (one event per ~100 KB allocated, with the type and the stack) grouped three ways:
// by component (the allocating frame nearest the leaf that belongs to a named library), by type, and by that frame
// and type together. Issue #19: this is how the EF Core concurrency detector's AsyncLocal was found.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: AllocTrace <trace.nettrace> [top] [requests per second] [seconds traced]");
    return 1;
}
var top = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40;
using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byComponent = new Dictionary<string, long>();
var byType = new Dictionary<string, long>();
var byFrame = new Dictionary<string, long>();
long total = 0;
foreach (var data in log.Events)
{
    if (data is not GCAllocationTickTraceData tick)
    {
        continue;
    }
    var amount = tick.AllocationAmount64;
    var type = tick.TypeName ?? "?";
    total += amount;
    Add(byType, type, amount);
    var (component, frame) = ("(runtime or BCL only)", "(runtime or BCL only)");
    for (var f = data.CallStack(); f is not null; f = f.Caller)
    {
        var name = f.CodeAddress.FullMethodName;
        if (!string.IsNullOrEmpty(name) && Component(name) is { } c)
        {
            (component, frame) = (c, name);
            break;
        }
    }
    Add(byComponent, component, amount);
    Add(byFrame, $"{frame}  <{type}>", amount);
}
Console.WriteLine($"allocation sampled: {total / 1e6:F1} MB");
if (args.Length > 3 && double.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out var rps) && rps > 0
    && double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
{
    // Allocation ticks fire about every 100 KB, so this is an estimate of the same order as dotnet-counters' rate.
    Console.WriteLine($"at {rps:F0} req/s for {seconds:F0} s: about {total / (rps * seconds) / 1000:F1} KB per request");
}
Print("by component (allocating frame nearest the leaf)", byComponent, int.MaxValue);
Print("by type", byType, top);
Print("by frame and type", byFrame, top);
return 0;

void Print(string title, Dictionary<string, long> rows, int count)
{
    Console.WriteLine();
    Console.WriteLine(title);
    foreach (var (key, value) in rows.OrderByDescending(r => r.Value).Take(count))
    {
        Console.WriteLine($"{value * 100.0 / total,6:F2}%  {(key.Length > 200 ? key[..200] : key)}");
    }
}

static void Add(Dictionary<string, long> rows, string key, long amount) => rows[key] = rows.GetValueOrDefault(key) + amount;

static string? Component(string method) => method switch
{
    _ when method.StartsWith("Abono.Web.Features.Portal.Slices", StringComparison.Ordinal) => "our slices",
    _ when method.StartsWith("Abono", StringComparison.Ordinal) => "our code",
    _ when method.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) => "EF Core",
    _ when method.StartsWith("Npgsql", StringComparison.Ordinal) => "Npgsql",
    _ when method.StartsWith("RazorSlices", StringComparison.Ordinal) => "RazorSlices",
    _ when method.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) => "Kestrel",
    _ when method.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal) => "authentication",
    _ when method.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal) => "antiforgery",
    _ when method.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) => "Data Protection",
    _ when method.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal) => "MVC",
    _ when method.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) => "other ASP.NET Core",
    _ when method.StartsWith("Microsoft.Extensions", StringComparison.Ordinal) => "Microsoft.Extensions",
    _ => null,
};
