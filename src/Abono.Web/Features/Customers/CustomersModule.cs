using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Customers;

public static class CustomersModule
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        // "Nuevo cliente" shares its page with "editar" (id 0).
        builder.Services.Configure<RazorPagesOptions>(options => options.Conventions.AddPageRoute("/Customers/Edit", "clientes/nuevo"));
        return builder;
    }
}
