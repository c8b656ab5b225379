using Abono.Tests.Documents.Dte;

namespace Abono.Tests.Documents.Import;

/// <summary>Issue 16, item 4 (by AEC file): the ceded factura and each SeqCesion recorded once; the last names who to pay.</summary>
public class DteAecImportTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task An_aec_marks_its_factura_ceded_and_a_second_aec_re_cedes_it_each_cesion_recorded_once()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var factura = s.Dte(33, 100);
        await s.ImportAsync(factura);
        var first = new TestCesion(1, s.Rut, "Empresa de Prueba SpA", "76543210-3", "Factoring Uno SpA", factura.Total);
        var second = new TestCesion(2, "76543210-3", "Factoring Uno SpA", "96667560-8", "Banco Factoring S.A.", factura.Total)
        {
            TmstCesion = new DateTime(2026, 11, 20, 11, 0, 0),
        };

        var report = await s.ImportAsync(("aec1.xml", DteXmlBuilder.Aec(factura, [first], DteTestSigner.Shared)));

        var file = Assert.Single(report.Files);
        Assert.Equal("AEC (cesión)", file.Kind);
        Assert.Contains("Factura 100 queda cedida a Factoring Uno SpA (76.543.210-3): se le paga directamente a ellos.", file.Cessions);
        await s.ImportAsync(("aec1.xml", DteXmlBuilder.Aec(factura, [first], DteTestSigner.Shared)));
        var again = await s.ImportAsync(("aec2.xml", DteXmlBuilder.Aec(factura, [first, second], DteTestSigner.Shared)));
        Assert.Contains(again.Files.Single().Cessions, m => m.Contains("la cesión N° 1 a Factoring Uno SpA (76.543.210-3) ya estaba registrada"));

        await using var scope = s.Scope();
        var document = await scope.Db.Documents.SingleAsync();
        Assert.Equal(("96667560-8", "Banco Factoring S.A."), (document.CededToRut, document.CededToName));
        var cessions = await scope.Db.DocumentCessions.OrderBy(c => c.Sequence).ToListAsync();
        Assert.Equal([1, 2], cessions.Select(c => c.Sequence));
        Assert.All(cessions, c => Assert.Equal(Abono.Web.Features.Documents.CessionSource.Aec, c.Source));
        Assert.Equal(new DateTime(2026, 11, 20, 14, 0, 0), cessions[1].CededAt); // 11:00 in Santiago (UTC-3 in summer)
    }

    [Fact]
    public async Task An_aec_for_a_factura_not_yet_in_Abono_imports_the_ceded_factura_too()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var factura = s.Dte(33, 200);
        var cesion = new TestCesion(1, s.Rut, "Empresa de Prueba SpA", "76543210-3", "Factoring Uno SpA", factura.Total);

        var report = await s.ImportAsync(("aec.xml", DteXmlBuilder.Aec(factura, [cesion], DteTestSigner.Shared)));

        Assert.Equal(1, report.Imported);
        await using var scope = s.Scope();
        Assert.Equal("76543210-3", (await scope.Db.Documents.SingleAsync()).CededToRut);
    }
}
