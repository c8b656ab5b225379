namespace Abono.Web.Features.Reports;

/// <summary>Reportes, read only: Pagos and Documentos adeudados, with their filters and exports.</summary>
public static class ReportsModule
{
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OwedDocumentsReport>();
        builder.Services.AddScoped<PaymentsReport>();
        return builder;
    }
}
