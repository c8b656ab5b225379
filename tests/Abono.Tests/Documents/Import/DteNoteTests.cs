using Abono.Web.Features.Documents;
using Abono.Web.Features.Documents.Import;

namespace Abono.Tests.Documents.Import;

/// <summary>Issue 16, item 3: notas de crédito and débito apply to the factura they reference, once, in either order.</summary>
public class DteNoteTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    // The scenario's factura: 10 × $18.500 + IVA = $220.150.
    private const long FacturaTotal = 220_150;

    [Fact]
    public async Task A_nota_de_credito_with_codref_3_reduces_the_factura_it_references()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100));

        var report = await s.ImportAsync(s.Nota(61, 7, 100, codRef: 3, price: 10_000));

        var nota = Assert.Single(report.Documents);
        Assert.Equal(DteImportOutcome.Imported, nota.Outcome);
        Assert.Contains("Aplicada a Factura 100: su saldo bajó $11.900 y quedó en $208.250.", nota.Notes);
        await using var scope = s.Scope();
        var factura = await scope.Db.Documents.SingleAsync(d => d.Folio == 100);
        var note = await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.NotaCredito);
        Assert.Equal(FacturaTotal - 11_900, factura.Balance);
        Assert.Equal((factura.Id, 0L, 0L), (note.ReferenceDocumentId!.Value, note.Balance, note.UnappliedCredit));
        var reference = await scope.Db.DocumentReferences.SingleAsync(r => r.DocumentId == note.Id);
        Assert.Equal((factura.Id, -11_900L, 3), (reference.ReferencedDocumentId!.Value, reference.AppliedAmount!.Value, reference.CodRef!.Value));
    }

    [Fact]
    public async Task A_nota_de_credito_with_codref_1_cancels_the_balance_and_what_exceeds_it_is_saldo_a_favor()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100));
        await s.ImportAsync(s.Nota(61, 7, 100, codRef: 3, price: 100_000)); // $119.000 off: $101.150 left

        var report = await s.ImportAsync(s.Nota(61, 8, 100, codRef: 1, price: 185_000)); // anula: $220.150

        var nota = Assert.Single(report.Documents);
        Assert.Equal(119_000, nota.UnappliedCredit);
        Assert.Contains(nota.Notes, n => n.Contains("quedan $119.000 a favor del cliente"));
        await using var scope = s.Scope();
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Folio == 100 && d.Type == DocumentType.Factura)).Balance);
        Assert.Equal(119_000, (await scope.Db.Documents.SingleAsync(d => d.Folio == 8)).UnappliedCredit);
    }

    [Fact]
    public async Task A_nota_de_debito_increases_the_balance_of_its_factura()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100));

        var report = await s.ImportAsync(s.Nota(56, 9, 100, codRef: 3, price: 5_000));

        Assert.Contains("Aplicada a Factura 100: su saldo subió $5.950 y quedó en $226.100.", Assert.Single(report.Documents).Notes);
        await using var scope = s.Scope();
        Assert.Equal(FacturaTotal + 5_950, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.Factura)).Balance);
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.NotaDebito)).Balance);
    }

    [Fact]
    public async Task A_nota_that_arrives_before_its_factura_is_pending_and_is_applied_once_when_the_factura_arrives()
    {
        var s = await DteImportScenario.StartAsync(factory);

        var first = await s.ImportAsync(s.Nota(61, 7, 100, codRef: 3, price: 10_000));

        Assert.Contains("Pendiente de referencia: Factura 100 aún no está en Abono; la nota se aplicará cuando la importes.", Assert.Single(first.Documents).Notes);
        await using (var scope = s.Scope())
        {
            Assert.Null((await scope.Db.DocumentReferences.SingleAsync()).ReferencedDocumentId);
        }

        var second = await s.ImportAsync(s.Dte(33, 100));
        Assert.Contains("Se aplicó la nota de crédito 7 que la referencia: saldo $208.250.", Assert.Single(second.Documents).Notes);

        // Both again, and both together: nothing applies twice.
        await s.ImportAsync(s.Nota(61, 7, 100, codRef: 3, price: 10_000), s.Dte(33, 100));
        await using (var scope = s.Scope())
        {
            Assert.Equal(FacturaTotal - 11_900, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.Factura)).Balance);
            var reference = await scope.Db.DocumentReferences.SingleAsync();
            Assert.Equal(-11_900, reference.AppliedAmount);
            Assert.NotNull(reference.AppliedAt);
        }
    }

    [Fact]
    public async Task A_nota_and_its_factura_in_the_same_upload_apply_once_even_when_imported_concurrently()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var nota = s.Nota(61, 7, 100, codRef: 3, price: 10_000);
        var debito = s.Nota(56, 8, 100, codRef: 3, price: 1_000);
        var factura = s.Dte(33, 100);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => i % 2 == 0 ? s.ImportAsync(nota, debito, factura) : s.ImportAsync(factura, debito, nota))));

        await using var scope = s.Scope();
        Assert.Equal(FacturaTotal - 11_900 + 1_190, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.Factura)).Balance);
        Assert.Equal(2, await scope.Db.DocumentReferences.CountAsync(r => r.ReferencedDocumentId != null));
    }

    [Fact]
    public async Task A_nota_correcting_text_links_to_its_factura_without_moving_money_and_other_references_stay_informative()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100));
        var nota = s.Nota(61, 7, 100, codRef: 2, price: 1) with
        {
            References = [new("801", "OC-55", new DateOnly(2026, 11, 1)), new("33", "100", new DateOnly(2026, 11, 2), 2, "Corrige giro")],
        };

        var report = await s.ImportAsync(nota);

        Assert.Contains("Referencia a Factura 100: corrige texto, no cambia su saldo.", Assert.Single(report.Documents).Notes);
        await using var scope = s.Scope();
        Assert.Equal(FacturaTotal, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.Factura)).Balance);
        var references = await scope.Db.DocumentReferences.OrderBy(r => r.LineNumber).ToListAsync();
        Assert.Equal((801, 0L, (long?)null), (references[0].ReferencedType, references[0].ReferencedFolio, references[0].ReferencedDocumentId));
        Assert.Equal(0, references[1].AppliedAmount);
    }

    [Fact]
    public async Task A_nota_de_credito_issued_in_Abono_still_reduces_its_factura_through_the_shared_rule()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100));
        long facturaId;
        await using (var scope = s.Scope())
        {
            facturaId = (await scope.Db.Documents.SingleAsync()).Id;
        }

        var page = await s.Merchant.IssueAsync(61, null, [("Devolución", 1, 10_000)], paymentForm: "", extra: new Dictionary<string, string?>
        {
            ["Input.ReferenceDocumentId"] = facturaId.ToString(), ["Input.ReferenceReason"] = "Devolución parcial",
        }, url: $"/documentos/nuevo?tipo=61&referencia={facturaId}");

        Assert.Contains("Nota de crédito electrónica N° 1 emitida por $11.900", page.Text);
        await using var check = s.Scope();
        Assert.Equal(FacturaTotal - 11_900, (await check.Db.Documents.SingleAsync(d => d.Id == facturaId)).Balance);
    }

    [Fact]
    public async Task A_nota_whose_reference_is_another_customers_factura_is_not_applied()
    {
        var s = await DteImportScenario.StartAsync(factory);
        await s.ImportAsync(s.Dte(33, 100) with { RutRecep = "77123456-9" });

        var report = await s.ImportAsync(s.Nota(61, 7, 100, codRef: 1, price: 185_000) with { RutRecep = "11111111-1", RznSocRecep = "Otro Cliente SpA" });

        Assert.Contains(Assert.Single(report.Documents).Notes, n => n.Contains("es de otro cliente"));
        await using var scope = s.Scope();
        Assert.Equal(FacturaTotal, (await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.Factura)).Balance);
    }
}
