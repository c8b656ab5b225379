namespace Abono.Web.Features.Documents;

/// <summary>Sales documents (facturas, boletas, notas): issuing with folios, their PDF, cesiones and claims, and the Documentos screens.</summary>
public static class DocumentsModule
{
    public static IHostApplicationBuilder AddDocuments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DocumentIssuer>();
        builder.Services.AddSingleton<DocumentCessions>();
        builder.Services.AddSingleton<DocumentClaims>();
        return builder;
    }
}
