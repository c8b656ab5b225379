namespace Abono.Web.Features.Documents;

/// <summary>Sales documents (facturas, boletas, notas): issuing with folios, their PDF, cesiones and claims, the Documentos screens, and importing DTE XML (Import/).</summary>
public static class DocumentsModule
{
    public static IHostApplicationBuilder AddDocuments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DocumentIssuer>();
        builder.Services.AddSingleton<DocumentCessions>();
        builder.Services.AddSingleton<DocumentClaims>();
        builder.Services.AddScoped<Import.DteImporter>().AddScoped<Import.DteReferenceApplier>().AddScoped<Import.AecImport>();
        return builder;
    }
}
