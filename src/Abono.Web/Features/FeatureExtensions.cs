using Abono.Web.Features.Documents;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features;

public static class FeatureExtensions
{
    public static IHostApplicationBuilder AddAbonoFeatures(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DocumentIssuer>();
        builder.Services.AddScoped<Customers.CustomerLinks>();
        builder.Services.AddScoped<Reports.OwedDocumentsReport>();
        builder.Services.AddScoped<Reports.PaymentsReport>();
        builder.Services.AddScoped<Import.CsvImporter>();
        builder.Services.AddSingleton<PaymentMethods.PaymentMethodSecrets>();
        builder.Services.Configure<RazorPagesOptions>(options =>
        {
            // "New" screens share their page with "edit" (id 0).
            options.Conventions.AddPageRoute("/Customers/Edit", "clientes/nuevo");
            options.Conventions.AddPageRoute("/Products/Edit", "productos/nuevo");
            options.Conventions.AddPageRoute("/PaymentMethods/Edit", "configuracion/medios-de-pago/nuevo/{kind}");
        });
        return builder;
    }
}
