using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Abono.Web.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// The real app over a fresh, real database: SQLite by default, PostgreSQL when test.sh sets
/// ABONO_TEST_PROVIDER=Postgres and ABONO_TEST_POSTGRES (the throwaway cluster's connection string).
/// </summary>
public class AbonoFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// Hundreds of app instances run in one test process; each would hold inotify watches for its content and web root
    /// (Razor's asp-append-version, appsettings reload) and Linux allows 128 per user by default. Polling watchers need
    /// none, and nothing in a test waits on a file change.
    /// </summary>
    static AbonoFactory() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    private readonly string _connectionString;
    private readonly string? _postgresDatabase;
    private readonly string? _sqlitePath;

    public AbonoFactory()
    {
        if (IsPostgres)
        {
            _postgresDatabase = $"abono_test_{Guid.NewGuid():N}";
            var builder = new NpgsqlConnectionStringBuilder(PostgresBase) { Database = _postgresDatabase };
            _connectionString = builder.ConnectionString;
            // Created up front so the app's migration step finds it (and logs no "database does not exist").
            using var connection = new NpgsqlConnection(PostgresBase);
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{_postgresDatabase}\"", connection);
            create.ExecuteNonQuery();
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), $"abono-test-{Guid.NewGuid():N}.db");
            _connectionString = $"Data Source={_sqlitePath}";
        }
    }

    /// <summary>A second app instance on the same database (a restart, or another process); it takes over dropping it.</summary>
    protected AbonoFactory(AbonoFactory sameDatabaseAs)
    {
        _connectionString = sameDatabaseAs._connectionString;
        _postgresDatabase = sameDatabaseAs._postgresDatabase;
        _sqlitePath = sameDatabaseAs._sqlitePath;
        sameDatabaseAs.KeepDatabase = true;
    }

    /// <summary>Set when another instance now owns the database: disposing this one only stops the app.</summary>
    public bool KeepDatabase { get; set; }

    public LogSink Logs { get; } = new();

    /// <summary>The database this app instance uses, for a second process (the CLI) to share it.</summary>
    public string ConnectionString => _connectionString;

    public static string Provider => Environment.GetEnvironmentVariable("ABONO_TEST_PROVIDER") ?? "Sqlite";

    public static bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    private static string PostgresBase => Environment.GetEnvironmentVariable("ABONO_TEST_POSTGRES")
        ?? throw new InvalidOperationException("ABONO_TEST_POSTGRES is not set: run the suite through ./test.sh.");

    /// <summary>Where the app sends email (a <see cref="SmtpTestServer"/>); set before the first use of the factory.</summary>
    public int SmtpPort { get; set; } = 1;

    /// <summary>False when the app runs on real Kestrel (browser tests), where self-calls go over the network.</summary>
    protected virtual bool RoutesSelfCallsInMemory => true;

    /// <summary>Rate limits are per instance and in memory; most tests send bursts, so only the tests of the limits turn them on.</summary>
    protected virtual bool RateLimited => false;

    /// <summary>Only tests whose webhook receiver listens on loopback turn this on; everything else meets the SSRF guard.</summary>
    protected virtual bool AllowsPrivateOutboundAddresses => false;

    /// <summary>Browser tests turn this on to get Comercial Demo SpA.</summary>
    protected virtual bool SeedDemo => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Abono", _connectionString);
        builder.UseSetting("Demo:Seed", SeedDemo ? "true" : "false");
        // Our own address comes from configuration only; TestServer's clients call it http://localhost.
        builder.UseSetting("App:BaseUrl", "http://localhost");
        // Everything reaches the sink (to prove secrets never reach logs); the console stays quiet.
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:Console:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:Console:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("RateLimits:Enabled", RateLimited ? "true" : "false");
        builder.UseSetting(Abono.Web.Platform.Web.OutboundUrlOptions.AllowPrivateAddressesKey, AllowsPrivateOutboundAddresses ? "true" : "false");
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", SmtpPort.ToString());
        builder.UseSetting("Smtp:Security", "None");
        // No test ever reaches a real provider: unless a test points them at the fakes, gateways meet a closed port.
        foreach (var gateway in new[] { "Webpay", "MercadoPago", "Stripe" })
        {
            builder.UseSetting($"Gateways:{gateway}:BaseUrl", "http://127.0.0.1:9");
        }
        builder.ConfigureTestServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressStartupFilter>());
    }

    /// <param name="from">The client's address as the connection would show it (TestServer has none), for tests of per-source limits.</param>
    public AppClient CreateAppClient(string? from = null)
    {
        var client = RoutesSelfCallsInMemory
            ? new AppClient(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress }))
            // On real Kestrel: a plain client that, like the in-memory one, keeps cookies and does not follow redirects.
            : new AppClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
            {
                BaseAddress = ClientOptions.BaseAddress,
            });
        if (from is not null)
        {
            client.Http.DefaultRequestHeaders.Add(RemoteAddressStartupFilter.Header, from);
        }
        return client;
    }

    /// <summary>
    /// Sets the connection's remote address from a test-only header before the app's pipeline (so before the
    /// forwarded-headers middleware, which then treats it like a real peer address).
    /// </summary>
    private sealed class RemoteAddressStartupFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Remote-Address";

        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>A scope whose DbContext acts for one company, to arrange or check data directly.</summary>
    public CompanyScope ScopeFor(Guid companyId)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Abono.Web.Platform.Tenancy.TenantContext>().Set(companyId);
        return new CompanyScope(scope);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (KeepDatabase)
        {
            return;
        }
        if (_sqlitePath is not null)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try { File.Delete(_sqlitePath + suffix); } catch (IOException) { }
            }
        }
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresBase);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>The app with the SSRF guard letting private addresses through: for tests with a webhook receiver on loopback.</summary>
public sealed class LocalReceiverFactory : AbonoFactory
{
    protected override bool AllowsPrivateOutboundAddresses => true;
}

public sealed class CompanyScope(AsyncServiceScope scope) : IAsyncDisposable
{
    public AbonoDbContext Db => scope.ServiceProvider.GetRequiredService<AbonoDbContext>();

    public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
