using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Abono.Web.Data;

// One subclass per provider so each keeps its own migrations (Data/Migrations/Sqlite, .../Postgres).

public sealed class SqliteAbonoDbContext(DbContextOptions<SqliteAbonoDbContext> options, TenantContext tenant)
    : AbonoDbContext(options, tenant);

public sealed class PostgresAbonoDbContext(DbContextOptions<PostgresAbonoDbContext> options, TenantContext tenant)
    : AbonoDbContext(options, tenant);

/// <summary>Used by `dotnet ef migrations add ... --context SqliteAbonoDbContext`.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAbonoDbContext>
{
    public SqliteAbonoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAbonoDbContext>().UseSqlite("Data Source=design.db").Options, new TenantContext());
}

/// <summary>Used by `dotnet ef migrations add ... --context PostgresAbonoDbContext`.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAbonoDbContext>
{
    public PostgresAbonoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAbonoDbContext>().UseNpgsql("Host=localhost;Database=abono_design").Options, new TenantContext());
}
