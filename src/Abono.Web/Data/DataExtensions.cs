using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Data;

public static class DataExtensions
{
    public const string DefaultSqlitePath = "data/abono.db";

    /// <summary>Database:Provider = Sqlite (default) or Postgres; connection string ConnectionStrings:Abono.</summary>
    public static IHostApplicationBuilder AddAbonoData(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Abono");
        builder.Services.AddScoped<TenantContext>();
        var threadSafetyChecks = ThreadSafetyChecks(builder);

        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Abono is empty.");
            }
            var postgres = WithProductionDefaults(connectionString);
            builder.Services.AddPooledAbonoDbContext<PostgresAbonoDbContext>(o => o.UseNpgsql(postgres).EnableThreadSafetyChecks(threadSafetyChecks));
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var path = Path.Combine(builder.Environment.ContentRootPath, DefaultSqlitePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                connectionString = $"Data Source={path}";
            }
            builder.Services.AddPooledAbonoDbContext<SqliteAbonoDbContext>(o => o.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(60))
                .EnableThreadSafetyChecks(threadSafetyChecks));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite or Postgres.");
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<AbonoDbContext>("database");
        // The key ring lives in the database so cookies survive restarts and work on every instance.
        builder.Services.AddDataProtection()
            .SetApplicationName("Abono")
            .PersistKeysToDbContext<AbonoDbContext>();
        Platform.Security.AntiforgeryTokenProtectionProvider.Decorate(builder.Services);
        return builder;
    }

    /// <summary>
    /// EF Core's check that no two operations use one context at once (Database:ThreadSafetyChecks; on in Development,
    /// Staging and the tests, where a misuse should fail loudly, off in Production). It keeps its count in an AsyncLocal that it
    /// sets twice for every row read, so each row copied the request's execution context: about a tenth of what the
    /// payer's page allocated (issue #19, an allocation trace under bench/load.sh). The suite runs with it on, so a
    /// context shared across threads is still caught before it ships.
    /// </summary>
    public static bool ThreadSafetyChecks(IHostApplicationBuilder builder) =>
        builder.Configuration.GetValue<bool?>("Database:ThreadSafetyChecks")
            ?? !builder.Environment.IsProduction();

    /// <summary>
    /// Npgsql settings the portal's hot pages were measured with (bench/load.sh), unless the connection string says
    /// otherwise: the same few statements run on every page, so they are prepared once per connection (Max Auto
    /// Prepare), and a connection going back to Npgsql's pool is not reset with a round trip (No Reset On Close: the app
    /// keeps no session state on pooled connections; migrations take their advisory lock on a connection of their own).
    /// </summary>
    public static string WithProductionDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        bool Says(params string[] keys) => keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));
        if (!Says("Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!Says("No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// A pool of contexts (see <see cref="AbonoDbContext"/>): each scope leases one, bound to the scope's tenant, and
    /// returns it when the scope ends.
    /// </summary>
    private static void AddPooledAbonoDbContext<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : AbonoDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure, poolSize: 1024);
        services.AddScoped<AbonoDbContext>(provider =>
        {
            var context = provider.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            context.Lease(provider.GetRequiredService<TenantContext>());
            return context;
        });
    }

    public static async Task MigrateAbonoDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers work while one writer issues a document.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }
        if (db.Database.IsNpgsql())
        {
            // Instances started together must not migrate at once (measured: EF Core's own lock let two processes
            // both apply the same migration). A session advisory lock on a connection of its own serialises them;
            // the second finds nothing pending.
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
            await using var gate = new Npgsql.NpgsqlConnection(builder.ConnectionString);
            await gate.OpenAsync();
            await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", gate))
            {
                await take.ExecuteNonQueryAsync();
            }
            try
            {
                await db.Database.MigrateAsync();
            }
            finally
            {
                await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", gate);
                await release.ExecuteNonQueryAsync();
            }
            return;
        }
        await db.Database.MigrateAsync();
    }

    /// <summary>Arbitrary, fixed: the advisory-lock key every Abono instance uses for migrations.</summary>
    private const long MigrationLockKey = 7_262_626_001;
}
