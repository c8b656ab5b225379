using System.Diagnostics;
using Npgsql;

namespace Abono.Tests.Platform.Production;

/// <summary>Two instances deployed together both run `migrate` on an empty database: EF Core's migration lock serialises them.</summary>
public class MigrationTests
{
    [PostgresFact]
    public async Task Two_concurrent_migrate_commands_on_an_empty_database_both_succeed()
    {
        var name = $"abono_migrate_{Guid.NewGuid():N}";
        var server = Environment.GetEnvironmentVariable("ABONO_TEST_POSTGRES")!;
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync();
        }
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        try
        {
            var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AppProcess.RunToEndAsync(["migrate"], new Dictionary<string, string>
            {
                ["Database:Provider"] = "Postgres", ["ConnectionStrings:Abono"] = connection, ["Demo:Seed"] = "false",
            })));
            Assert.All(runs, r => Assert.True(r.ExitCode == 0, string.Join("\n", r.Output.Split('\n').Where(l => l.Contains("rror") || l.Contains("xception") || l.Contains("CREATE") || l.Contains("LOCK")).Take(20))));
            await using var check = new NpgsqlConnection(connection);
            await check.OpenAsync();
            var applied = (long)(await new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", check).ExecuteScalarAsync())!;
            Assert.True(applied >= 2);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
