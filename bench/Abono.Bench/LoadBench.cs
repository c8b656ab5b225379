using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace Abono.Bench;

/// <param name="AppDll">The app as built (bin/Release/net10.0/Abono.Web.dll).</param>
/// <param name="ContentRoot">src/Abono.Web: the app's working directory, so its wwwroot and appsettings.json are found as when deployed.</param>
/// <param name="Seconds">Per level, per side and per repetition: the time each of ours and raw is measured.</param>
/// <param name="WarmupSeconds">Alternating ours and raw before any measurement (JIT tiering settles in about 30–45 s).</param>
/// <param name="SliceSeconds">Ours and raw alternate in slices this long within every measurement.</param>
/// <param name="Repeats">Each level (and each open-loop rate, and each confirmation level) is measured this many times: median and min–max.</param>
/// <param name="Confirmations">Per confirmation level and side, over all repetitions.</param>
/// <param name="AppConnection">The app's connection string; by default the deployed one (host, database, user) plus the bench's pool size.</param>
public sealed record LoadOptions(string AppDll, string ContentRoot, int Seconds, int[] Levels, int Customers, int WarmupSeconds = 45, double SliceSeconds = 2,
    int Repeats = 3, int Confirmations = 900, string? AppConnection = null);

/// <summary>
/// Load on the customer portal's pending-documents page for random customers (each through its customer link),
/// against the app as deployed (its own process, started in its content root) and the raw baseline (its own process:
/// plain Npgsql and the same HTML written by hand, see <see cref="BaselineServer"/>). Before measuring, both pages are
/// fetched for the same customers and must agree (document count, byte length within ±5 %, asset URLs), and the app
/// must serve its static assets. Ours and raw are then measured in short alternating slices, so a noisy neighbour
/// hits both alike: closed loop at rising concurrency (each worker sends its next request when the last answers),
/// open loop at half our saturation and at half the baseline's, each repeated; the ratio reported is the median of
/// the repetitions with its spread. Then the confirmation path against its own raw baseline (<see cref="ConfirmationBench"/>).
/// </summary>
public static partial class LoadBench
{
    /// <summary>Byte lengths of ours and raw for the same customer may differ by this much.</summary>
    private const double LengthTolerance = 0.05;

    public static async Task RunAsync(BenchDatabase database, LoadOptions options)
    {
        var contentRoot = Path.GetFullPath(options.ContentRoot);
        if (!File.Exists(Path.Combine(contentRoot, "appsettings.json")) || !Directory.Exists(Path.Combine(contentRoot, "wwwroot")))
        {
            throw new DirectoryNotFoundException($"{contentRoot} is not the app's content root (no appsettings.json or wwwroot).");
        }
        var appConnection = options.AppConnection ?? AppConnectionString(database.ConnectionString);
        Console.WriteLine($"App: {options.AppDll}, working directory (content root) {contentRoot}, ASPNETCORE_ENVIRONMENT=Staging");
        Console.WriteLine($"App connection string (the deployed default plus the bench's pool size; the app adds its own defaults): {appConnection}");
        Console.WriteLine($"Baseline connection string: {database.ConnectionString}");
        Console.WriteLine($"Preparing: Portal de pagos for the company and customer links for {options.Customers:N0} random customers with pending documents…");
        string code;
        List<PortalSetup.Link> links;
        long documents;
        await using (var services = PortalSetup.AppServices(database, contentRoot))
        {
            (code, links) = await PortalSetup.PrepareAsync(services, options.Customers);
            await using var db = database.Open(Generator.BigCompany);
            documents = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.Documents);
        }

        var appPort = FreePort();
        var basePort = FreePort();
        // The app logs as deployed (appsettings.json, Warning and above here) into a file, not over the bench's tables.
        var appLog = Path.Combine(Path.GetTempPath(), $"abono-load-app-{Environment.ProcessId}.log");
        using var app = StartProcess("/bin/sh", $"-c \"exec dotnet '{Path.GetFullPath(options.AppDll)}' > '{appLog}' 2>&1\"", contentRoot, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging", ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{appPort}",
            ["Database__Provider"] = "Postgres", ["ConnectionStrings__Abono"] = appConnection, ["Database__MigrateAtStart"] = "false",
            ["Jobs__Enabled"] = "false", ["Demo__Seed"] = "false", ["RateLimits__Enabled"] = "false", ["Smtp__Host"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning", ["Logging__Console__LogLevel__Default"] = "Warning",
            // As in Production (Staging keeps EF Core's thread-safety check on; issue #19 measured it).
            ["Database__ThreadSafetyChecks"] = "false",
        });
        Process? baseline = null;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            })
            { Timeout = TimeSpan.FromSeconds(30) };
            var ours = $"http://127.0.0.1:{appPort}";
            var raw = $"http://127.0.0.1:{basePort}";
            await WaitReadyAsync(http, $"{ours}/health/ready", app);

            // Open every customer link once: our page then runs on the portal session cookie, as in a browser.
            var cookies = new Dictionary<long, string>();
            string? firstPage = null;
            var pageHeaders = new Dictionary<string, string>();
            foreach (var link in links)
            {
                using var response = await http.GetAsync($"{ours}/portal/c/{link.Token}");
                if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.TryGetValues("Set-Cookie", out var set))
                {
                    throw new InvalidOperationException($"The customer link answered {(int)response.StatusCode}.");
                }
                var portalCookie = string.Join("; ", set.Select(c => c.Split(';')[0]));
                // A browser keeps the antiforgery cookie the first page sets; later pages only add the form token.
                using var first = new HttpRequestMessage(HttpMethod.Get, $"{ours}/portal/{code}/documentos");
                first.Headers.Add("Cookie", portalCookie);
                using var page = await http.SendAsync(first);
                if (firstPage is null)
                {
                    firstPage = await page.Content.ReadAsStringAsync();
                    pageHeaders = page.Headers.Where(x => !NotCopied.Contains(x.Key)).ToDictionary(x => x.Key, x => string.Join(", ", x.Value));
                }
                var antiforgery = page.Headers.TryGetValues("Set-Cookie", out var more) ? more.Select(c => c.Split(';')[0]) : [];
                cookies[link.CustomerId] = string.Join("; ", antiforgery.Prepend(portalCookie));
            }

            // The baseline writes an antiforgery-looking field as long as ours (its value is encrypted, so its length is fixed per deployment).
            var token = AntiforgeryField().Match(firstPage!);
            if (!token.Success)
            {
                throw new InvalidOperationException("Our page has no __RequestVerificationToken field.");
            }
            // ... and sends the same response headers (security headers, caching) as ours.
            baseline = StartProcess("dotnet", $"\"{typeof(LoadBench).Assembly.Location}\" baseline --connection \"{database.ConnectionString}\" --port {basePort} " +
                $"--webroot \"{Path.Combine(contentRoot, "wwwroot")}\" --token-length {token.Groups[1].Length}", null,
                new() { ["BASELINE_HEADERS"] = System.Text.Json.JsonSerializer.Serialize(pageHeaders) });
            await WaitReadyAsync(http, $"{raw}/ready", baseline);
            // "/bin/sh -c exec dotnet …": the shell became the app, same pid.
            (_appPid, _basePid) = (app.Id, baseline.Id);

            var ids = links.Select(l => l.CustomerId).ToArray();
            HttpRequestMessage OursFor(long id) { var r = new HttpRequestMessage(HttpMethod.Get, $"{ours}/portal/{code}/documentos"); r.Headers.Add("Cookie", cookies[id]); return r; }
            // The baseline is told the session (customer and the link it was opened with) that our page reads from its cookie.
            var linkIds = await LinkIdsAsync(database);
            HttpRequestMessage RawFor(long id) => new(HttpMethod.Get, $"{raw}/portal/{code}/documentos?c={id}&l={linkIds[id]}");
            HttpRequestMessage Ours() => OursFor(ids[Random.Shared.Next(ids.Length)]);
            HttpRequestMessage Raw() => RawFor(ids[Random.Shared.Next(ids.Length)]);

            await ComparePagesAsync(http, ids.Take(20).ToList(), OursFor, RawFor);
            var assets = AssetUrls(firstPage!);
            await CheckAssetsAsync(http, ours, assets);

            if (Environment.GetEnvironmentVariable("LOAD_PROBE") is { Length: > 0 } probe)
            {
                foreach (var path in probe.Split(','))
                {
                    var r = new Side();
                    await ClosedSliceAsync(http, () => { var m = new HttpRequestMessage(HttpMethod.Get, $"{ours}{path.Replace("{code}", code)}"); m.Headers.Add("Cookie", cookies[ids[0]]); return m; },
                        8, TimeSpan.FromSeconds(options.Seconds), r);
                    Console.WriteLine($"probe {path}: {r.Rps:F0} req/s p50 {r.P(0.5):F1} ms ({r.Errors} errors)");
                }
            }

            var slice = TimeSpan.FromSeconds(options.SliceSeconds);
            Console.WriteLine($"Warming up: {options.WarmupSeconds} s, ours and raw alternating in {options.SliceSeconds:0.#} s slices at 8 workers…");
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(options.WarmupSeconds))
            {
                await ClosedSliceAsync(http, Ours, 8, slice, new Side());
                await ClosedSliceAsync(http, Raw, 8, slice, new Side());
            }

            Console.WriteLine();
            Console.WriteLine($"Closed loop, {links.Count:N0} random customers of a company with {documents:N0} documents; per level {options.Repeats} repetitions of " +
                $"{options.Seconds} s per side in alternating {options.SliceSeconds:0.#} s slices (req/s: median of the repetitions; p50/p99 over all of them; ratio: median (min–max)):");
            Console.WriteLine($"{"workers",8} {"ours req/s",11} {"p50 ms",8} {"p99 ms",8} {"raw req/s",10} {"p50 ms",8} {"p99 ms",8} {"ratio",6} {"spread",11} {"errors",7}");
            var perSide = TimeSpan.FromSeconds(options.Seconds);
            var oursPeaks = new double[options.Repeats];
            var rawPeaks = new double[options.Repeats];
            var cpuRows = new List<string>();
            foreach (var level in options.Levels)
            {
                var reps = new List<(Side Ours, Side Raw)>();
                for (var k = 0; k < options.Repeats; k++)
                {
                    var pair = await InterleavedAsync((s, d) => ClosedSliceAsync(http, Ours, level, d, s), (s, d) => ClosedSliceAsync(http, Raw, level, d, s),
                        perSide, slice, oursFirst: k % 2 == 0);
                    reps.Add(pair);
                    oursPeaks[k] = Math.Max(oursPeaks[k], pair.Ours.Rps);
                    rawPeaks[k] = Math.Max(rawPeaks[k], pair.Raw.Rps);
                }
                var o = Side.Merge(reps.Select(r => r.Ours));
                var b = Side.Merge(reps.Select(r => r.Raw));
                var ratios = reps.Select(r => r.Ours.Rps / r.Raw.Rps).ToList();
                Console.WriteLine($"{level,8} {Median(reps.Select(r => r.Ours.Rps)),11:F0} {o.P(0.50),8:F1} {o.P(0.99),8:F1} {Median(reps.Select(r => r.Raw.Rps)),10:F0} " +
                    $"{b.P(0.50),8:F1} {b.P(0.99),8:F1} {Median(ratios),6:F2} {Spread(ratios),11} {o.Errors + b.Errors,7}");
                cpuRows.Add($"{level,8} {o.PerRequest(o.Cpu.Server),8:F0} {o.PerRequest(o.Cpu.Bench),8:F0} {o.PerRequest(o.Cpu.Machine - o.Cpu.Server - o.Cpu.Bench),8:F0} {o.PerRequest(o.Cpu.Machine),8:F0}" +
                    $" {b.PerRequest(b.Cpu.Server),8:F0} {b.PerRequest(b.Cpu.Bench),8:F0} {b.PerRequest(b.Cpu.Machine - b.Cpu.Server - b.Cpu.Bench),8:F0} {b.PerRequest(b.Cpu.Machine),8:F0}");
            }
            Console.WriteLine("CPU per request, µs (from /proc over each side's slices; server = the app or the baseline process, bench = the load generator, rest = PostgreSQL, kernel and anything else):");
            Console.WriteLine($"{"workers",8} {"ours app",8} {"bench",8} {"rest",8} {"total",8} {"raw srv",8} {"bench",8} {"rest",8} {"total",8}");
            cpuRows.ForEach(Console.WriteLine);
            await CheckAssetsAsync(http, ours, assets);
            var saturation = Enumerable.Range(0, options.Repeats).Select(k => oursPeaks[k] / rawPeaks[k]).ToList();
            var oursSaturation = Median(oursPeaks);
            var rawSaturation = Median(rawPeaks);
            Console.WriteLine($"Saturation: ours {oursSaturation:F0} req/s, raw {rawSaturation:F0} req/s → median ratio {Median(saturation):F2} (spread {Spread(saturation)}) (target ≥ 0.66)");
            Console.WriteLine("  (per repetition: each side's best level, ours ÷ raw)");

            Console.WriteLine();
            Console.WriteLine($"Open loop (64 paced senders, latency from each request's due time), {options.Repeats} repetitions of {options.Seconds} s per side in alternating slices:");
            var half = new List<double>();
            foreach (var (label, rate) in new[] { ("half our saturation", oursSaturation / 2), ("half the baseline's saturation", rawSaturation / 2) })
            {
                var reps = new List<(Side Ours, Side Raw)>();
                for (var k = 0; k < options.Repeats; k++)
                {
                    reps.Add(await InterleavedAsync((s, d) => OpenSliceAsync(http, Ours, rate, d, s), (s, d) => OpenSliceAsync(http, Raw, rate, d, s),
                        perSide, slice, oursFirst: k % 2 == 0));
                }
                var o = Side.Merge(reps.Select(r => r.Ours));
                var b = Side.Merge(reps.Select(r => r.Raw));
                var ratios = reps.Select(r => r.Ours.P(0.99) / r.Raw.P(0.99)).ToList();
                Console.WriteLine($"  at {label} ({rate:F0} req/s): ours p50 {o.P(0.50):F1} ms p99 {o.P(0.99):F1} ms ({Median(reps.Select(r => r.Ours.Rps)):F0} req/s done); " +
                    $"raw p50 {b.P(0.50):F1} ms p99 {b.P(0.99):F1} ms → p99 ours/raw {Median(ratios):F2} (spread {Spread(ratios)}), errors {o.Errors + b.Errors}");
                if (half.Count == 0)
                {
                    half = ratios;
                }
            }
            Console.WriteLine($"p99 at half our saturation: ours/raw = {Median(half):F2} (spread {Spread(half)}) (target ≤ 1.5)");
        }
        finally
        {
            Stop(app);
            if (baseline is not null)
            {
                Stop(baseline);
            }
            ReportAppLog(appLog);
        }

        Console.WriteLine();
        await using var confirmations = PortalSetup.AppServices(new BenchDatabase(database.Provider, appConnection), contentRoot);
        await ConfirmationBench.RunAsync(confirmations, database.ConnectionString, [1, 4, 16], options.Confirmations, options.Repeats,
            TimeSpan.FromSeconds(Math.Max(5, options.WarmupSeconds / 3)));
    }

    /// <summary>How much the app logged while measured, and what (its log lines are written to a file, like a deployment's).</summary>
    private static void ReportAppLog(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        // Console format: "warn: Category[id]" then the message indented on the next line.
        var lines = File.ReadAllLines(path);
        var entries = lines.Select((l, i) => (l, i)).Where(x => x.l.Length > 0 && !char.IsWhiteSpace(x.l[0]))
            .Select(x => x.i + 1 < lines.Length && lines[x.i + 1].StartsWith(' ') ? $"{x.l} {lines[x.i + 1].Trim()}" : x.l)
            .GroupBy(l => l.Length > 200 ? l[..200] + "…" : l).Select(g => (Line: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
        Console.WriteLine($"The app logged {entries.Sum(e => e.Count):N0} entries during the load ({path}){(entries.Count > 0 ? ", most often:" : ".")}");
        foreach (var (line, count) in entries.Take(3))
        {
            Console.WriteLine($"  {count,9:N0} × {line}");
        }
    }

    /// <summary>Response headers of ours that the baseline does not copy (per response, or set by Kestrel itself).</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase) { "Date", "Server", "Set-Cookie", "Transfer-Encoding", "Content-Length", "Content-Type" };

    /// <summary>The live customer link of each customer (the one PortalSetup issued).</summary>
    private static async Task<Dictionary<long, long>> LinkIdsAsync(BenchDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT "CustomerId", max("Id") FROM "CustomerPortalLinks" WHERE "CompanyId" = @c AND "RevokedAt" IS NULL GROUP BY "CustomerId"
            """, connection);
        cmd.Parameters.AddWithValue("c", Generator.BigCompany);
        var ids = new Dictionary<long, long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids[reader.GetInt64(0)] = reader.GetInt64(1);
        }
        return ids;
    }

    /// <summary>
    /// What the app is deployed with (docker-compose.yml: host, database, user and password, nothing else) plus the
    /// bench's pool size: the app's own defaults for everything else, as in production.
    /// </summary>
    public static string AppConnectionString(string benchConnection)
    {
        var bench = new NpgsqlConnectionStringBuilder(benchConnection);
        var app = new NpgsqlConnectionStringBuilder { Host = bench.Host, Port = bench.Port, Database = bench.Database, Username = bench.Username, MaxPoolSize = bench.MaxPoolSize };
        if (!string.IsNullOrEmpty(bench.Password))
        {
            app.Password = bench.Password;
        }
        return app.ConnectionString;
    }

    /// <summary>
    /// Both pages for the same customers: the same documents, and the same page (byte lengths within ±5 %, the same
    /// asset URLs with their version query strings). LOAD_DUMP=folder keeps both pages of each customer compared, to diff.
    /// </summary>
    private static async Task ComparePagesAsync(HttpClient http, List<long> ids, Func<long, HttpRequestMessage> ours, Func<long, HttpRequestMessage> raw)
    {
        long oursBytes = 0, rawBytes = 0;
        var identical = 0;
        var sameHeaders = true;
        string? firstDifference = null;
        foreach (var id in ids)
        {
            var (a, aBytes, aHeaders) = await FetchAsync(http, ours(id));
            var (b, bBytes, bHeaders) = await FetchAsync(http, raw(id));
            sameHeaders &= aHeaders == bHeaders;
            if (Environment.GetEnvironmentVariable("LOAD_DUMP") is { Length: > 0 } dump)
            {
                Directory.CreateDirectory(dump);
                await File.WriteAllTextAsync(Path.Combine(dump, $"ours-{id}.html"), a);
                await File.WriteAllTextAsync(Path.Combine(dump, $"raw-{id}.html"), b);
                await File.WriteAllTextAsync(Path.Combine(dump, $"ours-{id}.headers"), aHeaders);
                await File.WriteAllTextAsync(Path.Combine(dump, $"raw-{id}.headers"), bHeaders);
            }
            var (countA, countB) = (Count(a, "name=\"Input.DocumentIds\""), Count(b, "name=\"Input.DocumentIds\""));
            if (countA != countB || countA == 0)
            {
                throw new InvalidOperationException($"Customer {id}: our page lists {countA} documents, the baseline {countB}.");
            }
            if (Math.Abs(aBytes - bBytes) > LengthTolerance * aBytes)
            {
                throw new InvalidOperationException($"Customer {id}: our page is {aBytes:N0} bytes, the baseline's {bBytes:N0} (more than ±{LengthTolerance:P0} apart). " +
                    $"First difference: {FirstDifference(a, b)}");
            }
            if (!AssetUrls(a).SequenceEqual(AssetUrls(b)))
            {
                throw new InvalidOperationException($"Customer {id}: asset URLs differ: ours {string.Join(" ", AssetUrls(a))}; baseline {string.Join(" ", AssetUrls(b))}.");
            }
            if (Masked(a) == Masked(b))
            {
                identical++;
            }
            else
            {
                firstDifference ??= $"customer {id}: {FirstDifference(Masked(a), Masked(b))}";
            }
            oursBytes += aBytes;
            rawBytes += bBytes;
        }
        Console.WriteLine($"Same page check, {ids.Count} customers: same documents; HTML average ours {oursBytes / (double)ids.Count:N0} bytes, raw {rawBytes / (double)ids.Count:N0} bytes " +
            $"({(rawBytes - oursBytes) / (double)oursBytes:+0.0%;-0.0%}; allowed ±{LengthTolerance:P0}); same asset URLs; {(sameHeaders ? "same" : "NOT the same")} response headers (but Date, Server, Set-Cookie, Content-*); " +
            $"{identical} of {ids.Count} identical but for the antiforgery token and the attempt key.");
        if (firstDifference is not null)
        {
            Console.WriteLine($"  first difference, {firstDifference}");
        }
    }

    private static async Task<(string Text, long Bytes, string Headers)> FetchAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{request.RequestUri} answered {(int)response.StatusCode}.");
            }
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var headers = string.Join("\n", response.Headers.Where(h => !NotCopied.Contains(h.Key)).OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            return (System.Text.Encoding.UTF8.GetString(bytes), bytes.Length, headers);
        }
    }

    /// <summary>The page without what is fresh on every request: the antiforgery token's value and the form's attempt key.</summary>
    private static string Masked(string html) => AttemptKey().Replace(AntiforgeryValue().Replace(html, "value=\"TOKEN\""), "value=\"KEY\"");

    [GeneratedRegex("(?<=name=\"__RequestVerificationToken\" type=\"hidden\" )value=\"[^\"]*\"")]
    private static partial Regex AntiforgeryValue();

    [GeneratedRegex("(?<=name=\"Input.AttemptKey\" )value=\"[^\"]*\"")]
    private static partial Regex AttemptKey();

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        string Around(string s) => s.Substring(Math.Max(0, i - 40), Math.Min(s.Length - Math.Max(0, i - 40), 120)).ReplaceLineEndings("⏎");
        return $"at char {i}: ours «{Around(a)}», baseline «{Around(b)}»";
    }

    /// <summary>Stylesheets and scripts the page links (static files and the brand stylesheet), in page order.</summary>
    private static List<string> AssetUrls(string html) => AssetLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The app must serve what the page links (it runs in its content root: wwwroot found).</summary>
    private static async Task CheckAssetsAsync(HttpClient http, string baseUrl, List<string> assets)
    {
        var answers = new List<string>();
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(baseUrl + asset);
            var length = (await response.Content.ReadAsByteArrayAsync()).Length;
            if (response.StatusCode != HttpStatusCode.OK || length == 0)
            {
                throw new InvalidOperationException($"The app answered {(int)response.StatusCode} ({length} bytes) for {asset}: is it running in its content root?");
            }
            answers.Add($"{asset.Split('?')[0]} 200 ({length:N0} B)");
        }
        Console.WriteLine($"Assets from the app: {string.Join(", ", answers)}");
    }

    [GeneratedRegex("""name="__RequestVerificationToken"[^>]*? value="([^"]+)"[^>]*>""")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("""<(?:link rel="stylesheet" href|script src)="([^"]+)"[^>]*>""")]
    private static partial Regex AssetLink();

    /// <summary>One side's measurements over its slices: only its own slices' time counts.</summary>
    private sealed class Side
    {
        public List<double> Latencies { get; } = [];
        public TimeSpan Elapsed { get; set; }
        public int Errors;
        private bool _sorted;

        public double Rps => Latencies.Count / Elapsed.TotalSeconds;

        /// <summary>CPU used during this side's slices: its server process, the bench (load generator), the whole machine.</summary>
        public CpuTime Cpu { get; set; }

        /// <summary>µs of CPU per request answered.</summary>
        public double PerRequest(TimeSpan cpu) => Latencies.Count == 0 ? 0 : cpu.TotalMicroseconds / Latencies.Count;

        public double P(double q)
        {
            if (!_sorted)
            {
                Latencies.Sort();
                _sorted = true;
            }
            return Latencies.Count == 0 ? 0 : Latencies[Math.Min(Latencies.Count - 1, (int)(q * Latencies.Count))];
        }

        public void Add(IEnumerable<double> latencies, TimeSpan elapsed, int errors)
        {
            Latencies.AddRange(latencies);
            Elapsed += elapsed;
            Errors += errors;
            _sorted = false;
        }

        public static Side Merge(IEnumerable<Side> sides)
        {
            var all = new Side();
            foreach (var s in sides)
            {
                all.Add(s.Latencies, s.Elapsed, s.Errors);
                all.Cpu += s.Cpu;
            }
            return all;
        }
    }

    /// <summary>Ours and raw in alternating slices until each has had <paramref name="perSide"/>.</summary>
    private static async Task<(Side Ours, Side Raw)> InterleavedAsync(Func<Side, TimeSpan, Task> ours, Func<Side, TimeSpan, Task> raw, TimeSpan perSide, TimeSpan slice, bool oursFirst)
    {
        var (o, r) = (new Side(), new Side());
        var slices = Math.Max(1, (int)Math.Round(perSide / slice));
        var each = perSide / slices;
        async Task Measured(Func<Side, TimeSpan, Task> run, Side side, int? server)
        {
            var before = CpuTime.Now(server);
            await run(side, each);
            side.Cpu += CpuTime.Now(server) - before;
        }
        for (var i = 0; i < slices; i++)
        {
            if (oursFirst)
            {
                await Measured(ours, o, _appPid);
                await Measured(raw, r, _basePid);
            }
            else
            {
                await Measured(raw, r, _basePid);
                await Measured(ours, o, _appPid);
            }
        }
        return (o, r);
    }

    private static int? _appPid;
    private static int? _basePid;

    /// <summary>
    /// CPU time from /proc (Linux): a server process's, this bench process's (the load generator), and the whole
    /// machine's busy time (PostgreSQL, the kernel and anything else running are what is left of it).
    /// </summary>
    public readonly record struct CpuTime(TimeSpan Server, TimeSpan Bench, TimeSpan Machine)
    {
        private static readonly double TickSeconds = 1.0 / 100; // USER_HZ on Linux

        public static CpuTime Now(int? server) => new(server is { } pid ? ProcessCpu(pid) : TimeSpan.Zero, ProcessCpu(Environment.ProcessId), MachineBusy());

        public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.Server - b.Server, a.Bench - b.Bench, a.Machine - b.Machine);
        public static CpuTime operator +(CpuTime a, CpuTime b) => new(a.Server + b.Server, a.Bench + b.Bench, a.Machine + b.Machine);

        private static TimeSpan ProcessCpu(int pid)
        {
            try
            {
                // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the 12th, stime the 13th.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) * TickSeconds);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
            {
                return TimeSpan.Zero;
            }
        }

        private static TimeSpan MachineBusy()
        {
            try
            {
                // "cpu  user nice system idle iowait irq softirq steal ...": busy is everything but idle and iowait.
                var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
                return TimeSpan.FromSeconds((cpu.Sum() - cpu[3] - cpu[4]) * TickSeconds);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>Closed loop for one slice; the slice lasts until its last request has answered (so the next side starts on an idle server).</summary>
    private static async Task ClosedSliceAsync(HttpClient http, Func<HttpRequestMessage> next, int workers, TimeSpan duration, Side into)
    {
        var latencies = new List<double>[workers];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(next(), HttpCompletionOption.ResponseContentRead);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        into.Add(latencies.SelectMany(l => l), clock.Elapsed, errors);
    }

    /// <summary>
    /// Requests start on a fixed schedule whether or not the server keeps up (64 paced senders, wrk2-style); latency
    /// is measured from when each request was due, so a server that falls behind is not flattered (no coordinated
    /// omission). The slice lasts until every request due in it has answered.
    /// </summary>
    private static async Task OpenSliceAsync(HttpClient http, Func<HttpRequestMessage> next, double rate, TimeSpan duration, Side into)
    {
        const int senders = 64;
        var interval = TimeSpan.FromSeconds(senders / rate);
        var perSender = Math.Max(1, (int)(duration / interval));
        var latencies = new List<double>[senders];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async s =>
        {
            var mine = latencies[s] = new List<double>(perSender);
            var offset = interval * s / senders;
            for (var k = 0; k < perSender; k++)
            {
                var due = offset + interval * k;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
                try
                {
                    using var response = await http.SendAsync(next(), HttpCompletionOption.ResponseContentRead);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add((clock.Elapsed - due).TotalMilliseconds);
            }
        }));
        into.Add(latencies.SelectMany(l => l), clock.Elapsed, errors);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Spread(IReadOnlyCollection<double> values) => $"{values.Min():F2}–{values.Max():F2}";

    private static int Count(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static Process StartProcess(string file, string arguments, string? workingDirectory, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {arguments}.");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
    }

    private static async Task WaitReadyAsync(HttpClient http, string url, Process process)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process for {url} exited with {process.ExitCode}.");
            }
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
        }
        throw new TimeoutException($"{url} did not answer.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
