using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

internal static class DteAssert
{
    public static readonly DteFileReader Reader = new();

    public static DteFileResult Read(byte[] file, string name = "factura.xml") => Reader.Read(file, name);

    /// <summary>No errors in the file nor any document (warnings allowed); the failure lists them all.</summary>
    public static void Clean(DteFileResult result)
    {
        var errors = result.Issues.Concat(result.Documents.SelectMany(d => d.Issues))
            .Concat(result.Aec?.Cesiones.SelectMany(c => c.Issues) ?? [])
            .Where(i => i.IsError).Select(i => i.Message).ToList();
        Assert.True(errors.Count == 0, "Unexpected errors:\n" + string.Join("\n", errors));
    }

    /// <summary>Not even warnings: a document the builder wrote following the schema must pass every check.</summary>
    public static void Spotless(DteFileResult result)
    {
        var issues = result.Issues.Concat(result.Documents.SelectMany(d => d.Issues))
            .Concat(result.Aec?.Cesiones.SelectMany(c => c.Issues) ?? []).Select(i => i.Message).ToList();
        Assert.True(issues.Count == 0, "Unexpected issues:\n" + string.Join("\n", issues));
    }

    public static DteDocument Single(DteFileResult result)
    {
        Clean(result);
        return Assert.Single(result.Documents);
    }
}
