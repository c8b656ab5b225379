using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Abono.Bench;

/// <summary>Opens the app's own DbContext for a provider, acting for one company (as a request would).</summary>
public sealed record BenchDatabase(string Provider, string ConnectionString)
{
    public bool IsPostgres => Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);

    public AbonoDbContext Open(Guid companyId)
    {
        var tenant = new TenantContext();
        if (companyId != Guid.Empty)
        {
            tenant.Set(companyId);
        }
        // Without EF Core's thread-safety check, as the app runs in Production (DataExtensions.ThreadSafetyChecks).
        return IsPostgres
            ? PostgresAbonoDbContext.Create(new DbContextOptionsBuilder<PostgresAbonoDbContext>().UseNpgsql(ConnectionString).EnableThreadSafetyChecks(false).Options, tenant)
            : SqliteAbonoDbContext.Create(new DbContextOptionsBuilder<SqliteAbonoDbContext>().UseSqlite(ConnectionString, o => o.CommandTimeout(600)).EnableThreadSafetyChecks(false).Options, tenant);
    }
}
