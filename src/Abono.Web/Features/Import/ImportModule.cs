namespace Abono.Web.Features.Import;

/// <summary>Importar: customers and documents from CSV, on the screen and with the <c>import</c> command.</summary>
public static class ImportModule
{
    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CsvImporter>();
        return builder;
    }
}
