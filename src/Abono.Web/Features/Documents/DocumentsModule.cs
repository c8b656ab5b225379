namespace Abono.Web.Features.Documents;

/// <summary>Sales documents (facturas, boletas, notas): issuing with folios, their PDF, and the Documentos screens.</summary>
public static class DocumentsModule
{
    public static IHostApplicationBuilder AddDocuments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DocumentIssuer>();
        return builder;
    }
}
