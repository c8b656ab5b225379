using System.IO.Compression;
using Abono.Tests.Documents.Dte;
using Abono.Web.Features.Documents.Import;

namespace Abono.Tests.Documents.Import;

/// <summary>A signed-up business with its RUT, importing DTE files written by <see cref="DteXmlBuilder"/> through the importer itself.</summary>
public sealed class DteImportScenario(AbonoFactory factory, Merchant merchant, string rut)
{
    public Merchant Merchant => merchant;
    public Guid CompanyId => merchant.CompanyId;

    /// <summary>The company's RUT as RUTEmisor is written (12345678-5).</summary>
    public string Rut => rut;

    public static async Task<DteImportScenario> StartAsync(AbonoFactory factory)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var rut = await scope.Db.Companies.Where(c => c.Id == merchant.CompanyId).Select(c => c.Rut).SingleAsync();
        return new DteImportScenario(factory, merchant, rut);
    }

    /// <summary>A document of ours: the builder's defaults with this company as emisor.</summary>
    public TestDte Dte(int tipo = 33, long folio = 1234, int? fmaPago = 2) => new() { Tipo = tipo, Folio = folio, FmaPago = fmaPago, RutEmisor = rut };

    public TestDte Nota(int tipo, long folio, long referencedFolio, int? codRef, long price, int referencedType = 33) => Dte(tipo, folio, fmaPago: null) with
    {
        Lines = [new TestLine("Ajuste", 1, price)],
        References = [new TestReference(referencedType.ToString(), referencedFolio.ToString(), new DateOnly(2026, 11, 2), codRef, "Ajuste de precio")],
    };

    public async Task<DteImportReport> ImportAsync(params (string Name, byte[] Content)[] files)
    {
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        return await scope.Get<DteImporter>().ImportAsync(files.Select(f => new DteImportFile(f.Name, f.Content)).ToList(), new DteImportOptions { RecordedBy = "test" });
    }

    public Task<DteImportReport> ImportAsync(params TestDte[] dtes) => ImportAsync(dtes.Select(d => ($"{d.Tipo}-{d.Folio}.xml", DteXmlBuilder.Dte(d))).ToArray());

    public CompanyScope Scope() => factory.ScopeFor(merchant.CompanyId);

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(content);
            }
        }
        return stream.ToArray();
    }
}
