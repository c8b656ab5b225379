using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Abono.Web.Data;

// One subclass per provider so each keeps its own migrations (Data/Migrations/Sqlite, .../Postgres).
// Each has the one constructor the pool accepts (options only); code that builds a context itself (benchmarks, the
// CLI) uses Create, which binds it to a tenant the way a lease does.

public sealed class SqliteAbonoDbContext(DbContextOptions<SqliteAbonoDbContext> options) : AbonoDbContext(options)
{
    public static SqliteAbonoDbContext Create(DbContextOptions<SqliteAbonoDbContext> options, TenantContext tenant)
    {
        var context = new SqliteAbonoDbContext(options);
        context.Lease(tenant);
        return context;
    }
}

public sealed class PostgresAbonoDbContext(DbContextOptions<PostgresAbonoDbContext> options) : AbonoDbContext(options)
{
    public static PostgresAbonoDbContext Create(DbContextOptions<PostgresAbonoDbContext> options, TenantContext tenant)
    {
        var context = new PostgresAbonoDbContext(options);
        context.Lease(tenant);
        return context;
    }
}

/// <summary>Used by `dotnet ef migrations add ... --context SqliteAbonoDbContext`.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAbonoDbContext>
{
    public SqliteAbonoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAbonoDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by `dotnet ef migrations add ... --context PostgresAbonoDbContext`.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAbonoDbContext>
{
    public PostgresAbonoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAbonoDbContext>().UseNpgsql("Host=localhost;Database=abono_design").Options);
}
