using System.Diagnostics;
using Abono.Web.Data;
using Abono.Web.Features.Portal;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Abono.Bench;

/// <summary>Single-threaded cost of the portal's first three queries through EF Core (the app's context) and through raw Npgsql.</summary>
public static class MicroBench
{
    public static async Task RunAsync(BenchDatabase database, string code)
    {
        await using var app = PortalSetup.AppServices(database);
        await PortalSetup.PrepareAsync(app, 1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < 3000; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
                var portal = await PortalAccess.FindActiveAsync(db, code, today, default);
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(portal!.CompanyId);
                await db.Companies.AsNoTracking().Where(c => c.Id == portal.CompanyId).Select(c => c.LegalName).SingleAsync();
            }
            Console.WriteLine($"EF:  {clock.Elapsed.TotalMilliseconds / 3000:F3} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 3000:F3} ms CPU per 3 queries");
            await using var source = NpgsqlDataSource.Create(database.ConnectionString);
            clock.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < 3000; i++)
            {
                await using var connection = await source.OpenConnectionAsync();
                Guid company;
                await using (var cmd = new NpgsqlCommand("""SELECT "CompanyId" FROM "PortalConfigurations" WHERE "PublicCode" = @c""", connection))
                {
                    cmd.Parameters.AddWithValue("c", code);
                    company = (Guid)(await cmd.ExecuteScalarAsync())!;
                }
                await using (var cmd = new NpgsqlCommand("""SELECT "Status" FROM "Subscriptions" WHERE "CompanyId" = @c""", connection))
                {
                    cmd.Parameters.AddWithValue("c", company);
                    await cmd.ExecuteScalarAsync();
                }
                await using (var cmd = new NpgsqlCommand("""SELECT "LegalName" FROM "Companies" WHERE "Id" = @c""", connection))
                {
                    cmd.Parameters.AddWithValue("c", company);
                    await cmd.ExecuteScalarAsync();
                }
            }
            Console.WriteLine($"Raw: {clock.Elapsed.TotalMilliseconds / 3000:F3} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 3000:F3} ms CPU per 3 queries");
        }
    }
}
