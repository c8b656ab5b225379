using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// A real Abono process (the built Abono.Web.dll under `dotnet`) on its own port: what runs in production, background
/// workers included. Killed with SIGKILL, not stopped, when a test wants a crash.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<string> Output { get { lock (_output) { return _output.ToList(); } } }

    public bool HasExited => _process.HasExited;

    public static async Task<AppProcess> StartAsync(IDictionary<string, string> settings)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", $"\"{AppDll()}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll())!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["App__BaseUrl"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__Console__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the app process.");
        var app = new AppProcess(process, port);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(5);)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The app process exited at start:\n" + string.Join("\n", app.Output.TakeLast(40)));
            }
            try
            {
                if ((await http.GetAsync(new Uri(app.BaseUrl, "health/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The app process did not become ready:\n" + string.Join("\n", app.Output.TakeLast(40)));
    }

    /// <summary>Runs the app with arguments (e.g. `migrate`) to the end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string[] arguments, IDictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AppDll());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.WorkingDirectory = Path.GetDirectoryName(AppDll())!;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>SIGKILL: no shutdown hooks, leases left held, work in flight lost mid-way.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
    }

    /// <summary>The app as built next to these tests (same configuration: Release under ./test.sh).</summary>
    private static string AppDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);   // tests/Abono.Tests/bin/{Configuration}/net10.0/
        var configuration = testBin.Parent!.Name;
        var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "Abono.Web", "bin", configuration, "net10.0", "Abono.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Abono.Web first.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
