using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Products;

public static class ProductsModule
{
    public static IHostApplicationBuilder AddProducts(this IHostApplicationBuilder builder)
    {
        // "Nuevo producto" shares its page with "editar" (id 0).
        builder.Services.Configure<RazorPagesOptions>(options => options.Conventions.AddPageRoute("/Products/Edit", "productos/nuevo"));
        return builder;
    }
}
