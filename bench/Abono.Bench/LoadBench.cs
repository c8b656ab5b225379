using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Abono.Bench;

/// <summary>
/// Load on the customer portal's pending-documents page for random customers (each through its customer link),
/// against the app as deployed (its own process) and the raw baseline (its own process), at rising concurrency
/// (closed loop: each worker sends its next request when the last answers), then at a fixed rate of half the
/// baseline's saturation (open loop) to compare tail latency. Then the confirmation path in confirmations/s.
/// </summary>
public static class LoadBench
{
    public static async Task RunAsync(BenchDatabase database, string appDll, int seconds, int[] levels, int customers)
    {
        Console.WriteLine($"Preparing: Portal de pagos for the company and customer links for {customers:N0} random customers with pending documents…");
        string code;
        List<PortalSetup.Link> links;
        long documents;
        await using (var services = PortalSetup.AppServices(database))
        {
            (code, links) = await PortalSetup.PrepareAsync(services, customers);
            await using var db = database.Open(Generator.BigCompany);
            documents = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.Documents);
        }

        var appPort = FreePort();
        var basePort = FreePort();
        using var app = StartProcess("dotnet", $"\"{appDll}\"", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging", ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{appPort}",
            ["Database__Provider"] = "Postgres", ["ConnectionStrings__Abono"] = database.ConnectionString, ["Database__MigrateAtStart"] = "false",
            ["Jobs__Enabled"] = "false", ["Demo__Seed"] = "false", ["RateLimits__Enabled"] = "false", ["Smtp__Host"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning", ["Logging__Console__LogLevel__Default"] = "Warning",
        });
        using var baseline = StartProcess("dotnet", $"\"{typeof(LoadBench).Assembly.Location}\" baseline --connection \"{database.ConnectionString}\" --port {basePort}", []);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            })
            { Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(http, $"http://127.0.0.1:{appPort}/health/ready");
            await WaitReadyAsync(http, $"http://127.0.0.1:{basePort}/ready");

            // Open every customer link once: our page then runs on the portal session cookie, as in a browser.
            var cookies = new Dictionary<long, string>();
            foreach (var link in links)
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{appPort}/portal/c/{link.Token}");
                if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.TryGetValues("Set-Cookie", out var set))
                {
                    throw new InvalidOperationException($"The customer link answered {(int)response.StatusCode}.");
                }
                var portalCookie = string.Join("; ", set.Select(c => c.Split(';')[0]));
                // A browser keeps the antiforgery cookie the first page sets; later pages only add the form token.
                using var first = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{appPort}/portal/{code}/documentos");
                first.Headers.Add("Cookie", portalCookie);
                using var page = await http.SendAsync(first);
                var antiforgery = page.Headers.TryGetValues("Set-Cookie", out var more) ? more.Select(c => c.Split(';')[0]) : [];
                cookies[link.CustomerId] = string.Join("; ", antiforgery.Prepend(portalCookie));
            }
            var ids = links.Select(l => l.CustomerId).ToArray();
            HttpRequestMessage Ours() { var id = ids[Random.Shared.Next(ids.Length)]; var r = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{appPort}/portal/{code}/documentos"); r.Headers.Add("Cookie", cookies[id]); return r; }
            HttpRequestMessage Raw() => new(HttpMethod.Get, $"http://127.0.0.1:{basePort}/portal/{code}/documentos?c={ids[Random.Shared.Next(ids.Length)]}");

            // Same customer, both pages: same documents (the baseline is not doing less work).
            foreach (var id in ids.Take(20))
            {
                using var oursRequest = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{appPort}/portal/{code}/documentos");
                oursRequest.Headers.Add("Cookie", cookies[id]);
                var ours = await (await http.SendAsync(oursRequest)).Content.ReadAsStringAsync();
                var raw = await http.GetStringAsync($"http://127.0.0.1:{basePort}/portal/{code}/documentos?c={id}");
                var (a, b) = (Count(ours, "name=\"Input.DocumentIds\""), Count(raw, "name=\"Input.DocumentIds\""));
                if (a != b || a == 0)
                {
                    throw new InvalidOperationException($"Customer {id}: our page lists {a} documents, the baseline {b}.");
                }
            }

            if (Environment.GetEnvironmentVariable("LOAD_PROBE") is { Length: > 0 } probe)
            {
                foreach (var path in probe.Split(','))
                {
                    var r = await ClosedLoopAsync(http, () => { var m = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{appPort}{path.Replace("{code}", code)}"); m.Headers.Add("Cookie", cookies[ids[0]]); return m; }, 8, TimeSpan.FromSeconds(seconds));
                    Console.WriteLine($"probe {path}: {r.Rps:F0} req/s p50 {r.P50:F1} ms ({r.Errors} errors)");
                }
            }
            Console.WriteLine($"Warming up ({seconds} s each)…");
            await ClosedLoopAsync(http, Ours, 8, TimeSpan.FromSeconds(seconds));
            await ClosedLoopAsync(http, Raw, 8, TimeSpan.FromSeconds(seconds));

            Console.WriteLine();
            Console.WriteLine($"Closed loop, {seconds} s per level, {links.Count:N0} random customers of a company with {documents:N0} documents:");
            Console.WriteLine($"{"workers",8} {"ours req/s",11} {"p50 ms",8} {"p99 ms",8} {"raw req/s",10} {"p50 ms",8} {"p99 ms",8} {"ratio",6} {"errors",7}");
            Result? bestOurs = null, bestRaw = null;
            foreach (var level in levels)
            {
                var ours = await ClosedLoopAsync(http, Ours, level, TimeSpan.FromSeconds(seconds));
                var raw = await ClosedLoopAsync(http, Raw, level, TimeSpan.FromSeconds(seconds));
                bestOurs = bestOurs is null || ours.Rps > bestOurs.Rps ? ours : bestOurs;
                bestRaw = bestRaw is null || raw.Rps > bestRaw.Rps ? raw : bestRaw;
                Console.WriteLine($"{level,8} {ours.Rps,11:F0} {ours.P50,8:F1} {ours.P99,8:F1} {raw.Rps,10:F0} {raw.P50,8:F1} {raw.P99,8:F1} {ours.Rps / raw.Rps,6:F2} {ours.Errors + raw.Errors,7}");
            }
            Console.WriteLine($"Saturation: ours {bestOurs!.Rps:F0} req/s, baseline {bestRaw!.Rps:F0} req/s → ratio {bestOurs.Rps / bestRaw.Rps:F2} (target ≥ 0.66)");

            var rate = bestRaw.Rps / 2;
            var oursOpen = await OpenLoopAsync(http, Ours, rate, TimeSpan.FromSeconds(seconds * 2));
            var rawOpen = await OpenLoopAsync(http, Raw, rate, TimeSpan.FromSeconds(seconds * 2));
            Console.WriteLine($"Open loop at half the baseline's saturation ({rate:F0} req/s, {seconds * 2} s): ours p50 {oursOpen.P50:F1} ms p99 {oursOpen.P99:F1} ms " +
                $"({oursOpen.Rps:F0} req/s done); baseline p50 {rawOpen.P50:F1} ms p99 {rawOpen.P99:F1} ms → p99 ratio {oursOpen.P99 / rawOpen.P99:F2} (target ≤ 2)");
            // Also at a rate ours sustains, so the tails compare service times rather than a queue that only grows.
            var ownRate = bestOurs.Rps / 2;
            var oursHalf = await OpenLoopAsync(http, Ours, ownRate, TimeSpan.FromSeconds(seconds * 2));
            var rawHalf = await OpenLoopAsync(http, Raw, ownRate, TimeSpan.FromSeconds(seconds * 2));
            Console.WriteLine($"Open loop at half our saturation ({ownRate:F0} req/s): ours p50 {oursHalf.P50:F1} ms p99 {oursHalf.P99:F1} ms; " +
                $"baseline p50 {rawHalf.P50:F1} ms p99 {rawHalf.P99:F1} ms → p99 ratio {oursHalf.P99 / rawHalf.P99:F2}");
        }
        finally
        {
            Stop(app);
            Stop(baseline);
        }

        Console.WriteLine();
        await using var confirmations = PortalSetup.AppServices(database);
        await ConfirmationBench.RunAsync(confirmations, [1, 4, 16], perLevel: 1000);
    }

    public sealed record Result(double Rps, double P50, double P99, int Errors);

    private static async Task<Result> ClosedLoopAsync(HttpClient http, Func<HttpRequestMessage> next, int workers, TimeSpan duration)
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
                using var response = await http.SendAsync(next(), HttpCompletionOption.ResponseContentRead);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return Summarize(latencies.SelectMany(l => l).ToList(), clock.Elapsed, errors);
    }

    /// <summary>
    /// Requests start on a fixed schedule whether or not the server keeps up (64 paced senders, wrk2-style); latency
    /// is measured from when each request was due, so a server that falls behind is not flattered (no coordinated omission).
    /// </summary>
    private static async Task<Result> OpenLoopAsync(HttpClient http, Func<HttpRequestMessage> next, double rate, TimeSpan duration)
    {
        const int senders = 64;
        var interval = TimeSpan.FromSeconds(senders / rate);
        var perSender = (int)(duration / interval);
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
                using var response = await http.SendAsync(next(), HttpCompletionOption.ResponseContentRead);
                mine.Add((clock.Elapsed - due).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return Summarize(latencies.SelectMany(l => l).ToList(), clock.Elapsed, errors);
    }

    private static Result Summarize(List<double> latencies, TimeSpan elapsed, int errors)
    {
        latencies.Sort();
        double At(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        return new Result(latencies.Count / elapsed.TotalSeconds, At(0.50), At(0.99), errors);
    }

    private static int Count(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static Process StartProcess(string file, string arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = false };
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
    }

    private static async Task WaitReadyAsync(HttpClient http, string url)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(200))
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
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
