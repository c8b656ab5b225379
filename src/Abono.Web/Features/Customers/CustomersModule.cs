using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Customers;

public static class CustomersModule
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        // "Nuevo cliente" shares its page with "editar" (id 0).
        builder.Services.Configure<RazorPagesOptions>(options => options.Conventions.AddPageRoute("/Customers/Edit", "clientes/nuevo"));
        builder.Services.AddStartupTask("search names of customers created before them", order: 5, app => BackfillSearchNamesAsync(app));
        return builder;
    }

    /// <summary>
    /// Customers stored before SearchName existed get it once (the migration cannot strip accents in SQL on SQLite).
    /// Idempotent and in batches: a second instance, or a restart halfway, finds less or nothing to do.
    /// </summary>
    private static async Task BackfillSearchNamesAsync(WebApplication app)
    {
        // By id, never revisiting a row: a name that normalizes to "" (only marks) must not keep the loop going.
        var after = 0L;
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            var batch = await db.Customers.IgnoreQueryFilters().Where(c => c.Id > after && c.SearchName == "" && c.Name != "").OrderBy(c => c.Id).Take(1000).ToListAsync();
            if (batch.Count == 0)
            {
                return;
            }
            foreach (var customer in batch)
            {
                customer.SearchName = SearchText.Normalize(customer.Name);
            }
            after = batch[^1].Id;
            await db.SaveChangesAsync();
        }
    }
}
