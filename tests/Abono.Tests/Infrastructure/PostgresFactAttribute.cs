namespace Abono.Tests.Infrastructure;

/// <summary>A test that needs what only PostgreSQL offers here (several app processes on one database): skipped, with the reason shown, on SQLite.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!AbonoFactory.IsPostgres)
        {
            Skip = "Runs in the PostgreSQL pass of ./test.sh: several app processes share one database.";
        }
    }
}
