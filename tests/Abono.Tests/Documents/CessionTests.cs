using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Documents;

/// <summary>
/// A factura ceded to a factoring company (issue 16, item 4): the payer sees who to pay and cannot pay it here, nothing
/// allocates to it, the back office finds it under Cedidas, the history follows the AEC's sequences, and a payment
/// already at the provider when the cesión arrives becomes saldo a favor in En revisión.
/// </summary>
public class CessionTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private const string Factoring = "Factoring Sur SpA";

    /// <summary>Registrar cesión on the document's detail, as the business's administrator does it.</summary>
    private static async Task<AppClient.Page> CedeByHandAsync(PortalScenario s, long documentId, string rut, string name = Factoring)
    {
        var detail = await s.Merchant.Client.GetAsync($"/documentos/{documentId}");
        return await s.Merchant.Client.SubmitAsync(detail, new Dictionary<string, string?>
        {
            ["Cession.Rut"] = rut, ["Cession.Name"] = name, ["Cession.Note"] = "Contrato 2026-15",
        }, button: "[data-testid=cession-submit]");
    }

    private static string Message(string rut, string name = Factoring) =>
        $"Esta factura fue cedida a {name} ({Rut.Parse(rut).Formatted}). Págala directamente a ellos.";

    [Fact]
    public async Task A_ceded_factura_is_shown_with_who_to_pay_but_is_never_selectable_payable_or_allocated()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var ceded = s.DocumentIds[0];
        var rut = Merchant.NewRut(76_000_000);

        var recorded = await CedeByHandAsync(s, ceded, rut);
        Assert.Contains($"la factura ahora es de {Factoring}", recorded.Text);
        Assert.Contains($"Cedida a {Factoring}", recorded.Document.QuerySelector($"[data-testid=badge-ceded-{ceded}]")!.TextContent);
        Assert.Contains("registrada a mano", recorded.Document.QuerySelector("[data-testid=cession-history]")!.TextContent);

        var payer = await s.IdentifiedPayerAsync();
        var list = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Equal(Message(rut), list.Document.QuerySelector($"[data-testid=doc-message-{ceded}]")!.TextContent.Trim());
        Assert.Null(list.Document.QuerySelector($"input[name='Input.DocumentIds'][value='{ceded}']"));
        Assert.Equal(2, list.Document.QuerySelectorAll("input[name='Input.DocumentIds']:checked").Length);
        Assert.Equal("$59.500", list.Document.QuerySelector("[data-testid=pay-total]")!.TextContent.Trim());
        var quote = await payer.Http.GetFromJsonAsync<JsonElement>($"/portal/{s.Code}/documentos?handler=Quote&documentos={ceded},{s.DocumentIds[1]}");
        Assert.Equal(23_800, quote.GetProperty("amount").GetInt64());
        var detail = await payer.GetAsync($"/portal/{s.Code}/documentos/{ceded}");
        Assert.Equal(Message(rut), detail.Document.QuerySelector("[data-testid=document-not-payable]")!.TextContent.Trim());

        // Posting its id directly, alone or with the others, in full or as an abono, starts nothing.
        foreach (var (ids, amount) in new (long[], long?)[] { ([ceded], null), ([.. s.DocumentIds], null), ([.. s.DocumentIds], 30_000) })
        {
            var forged = await payer.FollowAsync(await s.PostPaymentAsync(payer, ids, amount), $"/portal/{s.Code}/documentos");
            Assert.Contains("fue cedida o está en revisión", forged.Document.QuerySelector("[data-testid=pay-error]")!.TextContent);
        }
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal(0, await scope.Db.Checkouts.CountAsync(c => c.Purpose == Abono.Web.Features.Payments.CheckoutPurpose.DocumentPayment));
        }

        // An abono over the others spreads over them only.
        await s.PayAsync(payer, s.DocumentIds.Skip(1), amount: 30_000);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var balances = await scope.Db.Documents.Where(d => s.DocumentIds.Contains(d.Id)).OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync();
            Assert.Equal([11_900L, 0L, 29_500L], balances);
            Assert.DoesNotContain(await scope.Db.PaymentAllocations.Select(a => a.DocumentId).ToListAsync(), id => id == ceded);
        }

        // The estado de cuenta the payer sees does not count it as owed to the business.
        var statement = await payer.GetAsync($"/portal/{s.Code}/estado-de-cuenta");
        Assert.DoesNotContain("$11.900", statement.Text);
    }

    [Fact]
    public async Task Documentos_adeudados_keeps_ceded_facturas_out_of_the_default_totals_and_lists_them_under_Cedidas()
    {
        var s = await PortalScenario.CreateAsync(factory);
        await CedeByHandAsync(s, s.DocumentIds[2], Merchant.NewRut(76_000_000));

        var owed = await s.Merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1");
        Assert.Equal("$35.700", owed.Document.QuerySelector("[data-testid=total-debt]")!.TextContent.Trim());
        Assert.Contains("las facturas cedidas y las reclamadas no se suman", owed.Document.QuerySelector("[data-testid=owed-scope]")!.TextContent);

        var cedidas = await s.Merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&situacion=cedidas");
        Assert.Equal("$35.700", cedidas.Document.QuerySelector("[data-testid=total-debt]")!.TextContent.Trim());
        Assert.Single(cedidas.Document.QuerySelectorAll("[data-testid=owed-table] tbody tr"));
        Assert.NotNull(cedidas.Document.QuerySelector($"[data-testid=owed-ceded-{s.DocumentIds[2]}]"));
        var reclamadas = await s.Merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&situacion=reclamadas");
        Assert.Equal("$0", reclamadas.Document.QuerySelector("[data-testid=total-debt]")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_second_cession_names_the_new_owner_the_same_sequence_again_changes_nothing_and_undoing_needs_a_note()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var id = s.DocumentIds[0];
        var first = Merchant.NewRut(76_000_000);
        var second = Merchant.NewRut(77_000_000);
        var at = DateTime.UtcNow.AddDays(-2);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var cessions = scope.Get<DocumentCessions>();
            var db = scope.Db;
            Task<CessionResult> Record(int? seq, string rut, string name) =>
                cessions.RecordAsync(db, id, seq, rut, name, at, 11_900, CessionSource.Aec, null, "AEC: cesion.xml", default);
            async Task<(string? Rut, string? Name)> Owner()
            {
                var d = await db.Documents.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.CededToRut, d.CededToName }).SingleAsync();
                return (d.CededToRut, d.CededToName);
            }

            Assert.Equal(CessionOutcome.Recorded, (await Record(1, first, "Factoring Uno SpA")).Outcome);
            Assert.Equal((Rut.Parse(first).Normalized, "Factoring Uno SpA"), await Owner());
            Assert.Equal(CessionOutcome.Unchanged, (await Record(1, first, "Factoring Uno SpA")).Outcome);
            var contradiction = await Record(1, second, "Factoring Dos SpA");
            Assert.Equal(CessionOutcome.Invalid, contradiction.Outcome);
            Assert.Contains("ya está registrada a favor de Factoring Uno SpA", contradiction.Message);

            Assert.Equal(CessionOutcome.Recorded, (await Record(2, second, "Factoring Dos SpA")).Outcome);
            Assert.Equal((Rut.Parse(second).Normalized, "Factoring Dos SpA"), await Owner());
            // A later AEC repeating the first cesión changes nothing either: the highest sequence owns it.
            Assert.Equal(CessionOutcome.Unchanged, (await Record(1, first, "Factoring Uno SpA")).Outcome);
            Assert.Equal(2, await db.DocumentCessions.CountAsync(c => c.DocumentId == id));
            Assert.Equal("Factoring Dos SpA", (await Owner()).Name);

            var noNote = await cessions.RevertAsync(db, id, "  ", "admin", default);
            Assert.Equal(CessionOutcome.Invalid, noNote.Outcome);
            Assert.True(noNote.Errors.Has("Note"));
            Assert.Equal("Factoring Dos SpA", (await Owner()).Name);

            var wrongDigit = Rut.ComputeCheckDigit(76_000_000) == '1' ? '2' : '1';
            var badRut = await cessions.RecordAsync(db, id, null, $"76.000.000-{wrongDigit}", "X", at, null, CessionSource.Manual, null, null, default);
            Assert.Equal("El dígito verificador del RUT no es correcto.", badRut.Errors.All["CessionaryRut"].Single());
            var tooMuch = await cessions.RecordAsync(db, id, null, first, "X", at, 11_901, CessionSource.Manual, null, null, default);
            Assert.True(tooMuch.Errors.Has("Amount"));
        }

        // Undoing by hand: the note is required, next to its field; then the earlier cesión names the owner again.
        var detail = await s.Merchant.Client.GetAsync($"/documentos/{id}");
        var refused = await s.Merchant.Client.SubmitAsync(detail, new Dictionary<string, string?> { ["Revert.Confirm"] = "true" }, button: "[data-testid=revert-submit]");
        Assert.Equal("Escribe una nota que explique por qué se deshace la cesión.", refused.FieldError("Revert.Note"));
        var undone = await s.Merchant.Client.SubmitAsync(refused, new Dictionary<string, string?> { ["Revert.Note"] = "Factoring Dos la devolvió", ["Revert.Confirm"] = "true" },
            button: "[data-testid=revert-submit]");
        Assert.Contains("sigue cedida a Factoring Uno SpA", undone.Text);
        Assert.Contains("Factoring Dos la devolvió", undone.Document.QuerySelector("[data-testid=cession-history]")!.TextContent);
        var back = await s.Merchant.Client.SubmitAsync(undone, new Dictionary<string, string?> { ["Revert.Note"] = "Recompra", ["Revert.Confirm"] = "true" },
            button: "[data-testid=revert-submit]");
        Assert.Contains("la factura vuelve a cobrarse en el portal", back.Text);

        var payer = await s.IdentifiedPayerAsync();
        var list = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.NotNull(list.Document.QuerySelector($"input[name='Input.DocumentIds'][value='{id}']"));
    }

    [Fact]
    public async Task Only_facturas_can_be_ceded_and_the_form_says_what_is_wrong_next_to_each_field()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var boleta = Merchant.IdFrom(await s.Merchant.IssueAsync(39, null, [("Venta mesón", 1, 5_000)], paymentForm: "Efectivo"));
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var result = await scope.Get<DocumentCessions>().RecordAsync(scope.Db, boleta, null, Merchant.NewRut(), Factoring, DateTime.UtcNow, null,
                CessionSource.Api, null, null, default);
            Assert.Equal("Solo las facturas (tipo 33 y 34) se pueden ceder.", result.Message);
        }
        var detail = await s.Merchant.Client.GetAsync($"/documentos/{s.DocumentIds[0]}");
        var page = await s.Merchant.Client.SubmitAsync(detail, new Dictionary<string, string?> { ["Cession.Rut"] = "12.345.678-0", ["Cession.Name"] = "" },
            button: "[data-testid=cession-submit]");
        Assert.Equal("El dígito verificador del RUT no es correcto.", page.FieldError("Cession.Rut"));
        Assert.Equal("Ingresa la razón social del cesionario.", page.FieldError("Cession.Name"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=cession-panel] details[open]"));
    }

    [Fact]
    public async Task A_checkout_started_before_the_cession_and_approved_after_pays_nothing_to_it_and_is_saldo_a_favor_in_En_revision()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var payer = await s.IdentifiedPayerAsync();
        var atSandbox = await s.PayAsync(payer, decision: "none");   // 11.900 + 23.800 at the provider
        var rut = Merchant.NewRut(76_000_000);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var cession = await scope.Get<DocumentCessions>().RecordAsync(scope.Db, s.DocumentIds[0], 1, rut, Factoring, DateTime.UtcNow, null,
                CessionSource.Aec, null, "AEC", default);
            Assert.Equal(CessionOutcome.Recorded, cession.Outcome);
        }

        await payer.SubmitAsync(atSandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        long paymentId;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
            paymentId = payment.Id;
            Assert.Equal(35_700, payment.Amount);
            Assert.Equal(s.DocumentIds[1], Assert.Single(payment.Allocations).DocumentId);
            Assert.Equal(11_900, payment.CreditAmount);
            Assert.True(payment.RefundPending);
            var balances = await scope.Db.Documents.Where(d => s.DocumentIds.Contains(d.Id)).OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync();
            Assert.Equal([11_900L, 0L], balances);
            Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
            // Money is booked once: allocations + saldo a favor = payments − refunds.
            var allocated = await scope.Db.PaymentAllocations.SumAsync(a => a.Amount);
            var credit = await scope.Db.Payments.SumAsync(p => p.CreditAmount);
            var paid = await scope.Db.Payments.SumAsync(p => p.Amount - p.RefundedAmount);
            Assert.Equal(paid, allocated + credit);
        }

        var review = await s.Merchant.Client.GetAsync("/reportes/pagos/en-revision");
        Assert.NotNull(review.Document.QuerySelector($"[data-testid=credit-{paymentId}]"));
        Assert.Contains($"factura cedida a {Factoring} ({Rut.Parse(rut).Formatted}) (el dinero debe traspasarse o reembolsarse)",
            review.Document.QuerySelector($"[data-testid=credit-reason-{paymentId}]")!.TextContent);
    }

    [Fact]
    public async Task The_API_records_and_reverts_cessions_and_claims_and_owed_documents_leave_them_out()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var keyPage = await s.Merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = "Write" });
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keyPage.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!);
        var id = s.DocumentIds[0];
        var rut = Merchant.NewRut(76_000_000);
        async Task<int> OwedCount() => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{s.CustomerId}/owed-documents")).GetArrayLength();

        var bad = await api.PostAsJsonAsync($"/api/v1/documents/{id}/cession", new { cessionaryRut = "1-1", cessionaryName = Factoring });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("CessionaryRut", out _));

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/documents/{id}/cession")
        {
            Content = JsonContent.Create(new { cessionaryRut = rut, cessionaryName = Factoring, sequence = 1, cededOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd") }),
        };
        request.Headers.Add("Idempotency-Key", "cesion-1");
        var ceded = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ceded.StatusCode);
        var doc = await ceded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(doc.GetProperty("collectible").GetBoolean());
        Assert.Equal(Factoring, doc.GetProperty("cession").GetProperty("cessionaryName").GetString());
        Assert.Equal(Rut.Parse(rut).Formatted, doc.GetProperty("cession").GetProperty("cessionaryRut").GetString());
        Assert.Equal(2, await OwedCount());
        var shown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}");
        Assert.False(shown.GetProperty("collectible").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/documents/{id}/cession/revert", new { note = "" })).StatusCode);
        var reverted = await api.PostAsJsonAsync($"/api/v1/documents/{id}/cession/revert", new { note = "Registrada por error" });
        Assert.Equal(HttpStatusCode.OK, reverted.StatusCode);
        Assert.True((await reverted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("collectible").GetBoolean());
        var notCeded = await api.PostAsJsonAsync($"/api/v1/documents/{id}/cession/revert", new { note = "otra vez" });
        Assert.Equal(HttpStatusCode.Conflict, notCeded.StatusCode);
        Assert.Equal(3, await OwedCount());

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/documents/{id}/claim", new { reason = "otro" })).StatusCode);
        var claimed = await api.PostAsJsonAsync($"/api/v1/documents/{id}/claim", new { reason = "falta-parcial", note = "Faltaron 3 cajas" });
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var claim = (await claimed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claim");
        Assert.Equal("falta-parcial", claim.GetProperty("reason").GetString());
        Assert.Equal("Faltaron 3 cajas", claim.GetProperty("note").GetString());
        Assert.Equal(2, await OwedCount());
        var resolved = await api.PostAsync($"/api/v1/documents/{id}/claim/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(3, await OwedCount());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/documents/999999/claim", new { reason = "contenido" })).StatusCode);
    }
}
