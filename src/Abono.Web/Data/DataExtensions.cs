using Abono.Web.Platform.Tenancy;
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

        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Abono is empty.");
            }
            builder.Services.AddDbContext<AbonoDbContext, PostgresAbonoDbContext>(o => o.UseNpgsql(connectionString));
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var path = Path.Combine(builder.Environment.ContentRootPath, DefaultSqlitePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                connectionString = $"Data Source={path}";
            }
            builder.Services.AddDbContext<AbonoDbContext, SqliteAbonoDbContext>(o =>
                o.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(60)));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite or Postgres.");
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<AbonoDbContext>("database");
        return builder;
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
        await db.Database.MigrateAsync();
    }
}
