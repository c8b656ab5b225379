using Abono.Web.Features.Documents;
using Abono.Web.Features.Reminders;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Documents;

/// <summary>A factura the buyer claimed (Ley 19.983, issue 16 item 5): excluded from collection until the business unmarks it.</summary>
public class ClaimTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_claimed_factura_is_shown_as_under_review_and_not_payable_until_the_claim_is_removed()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var claimed = s.DocumentIds[1];
        var detail = await s.Merchant.Client.GetAsync($"/documentos/{claimed}");
        var missing = await s.Merchant.Client.SubmitAsync(detail, new Dictionary<string, string?> { ["ClaimForm.Reason"] = "" }, button: "[data-testid=claim-submit]");
        Assert.Equal("Elige el motivo del reclamo.", missing.FieldError("ClaimForm.Reason"));

        var marked = await s.Merchant.Client.SubmitAsync(missing, new Dictionary<string, string?>
        {
            ["ClaimForm.Reason"] = nameof(DocumentClaim.FaltaTotal), ["ClaimForm.Note"] = "No llegó el pedido",
        }, button: "[data-testid=claim-submit]");
        Assert.Contains("Factura marcada como reclamada", marked.Text);
        Assert.Contains("Falta total de mercaderías", marked.Document.QuerySelector("[data-testid=document-claim]")!.TextContent);
        Assert.Contains("No llegó el pedido", marked.Document.QuerySelector("[data-testid=document-claim]")!.TextContent);
        var list = await s.Merchant.Client.GetAsync("/documentos");
        Assert.NotNull(list.Document.QuerySelector($"[data-testid=badge-claimed-{claimed}]"));

        var payer = await s.IdentifiedPayerAsync();
        var portal = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Equal("Esta factura está en revisión por parte de la empresa. Por ahora no se puede pagar aquí.",
            portal.Document.QuerySelector($"[data-testid=doc-message-{claimed}]")!.TextContent.Trim());
        Assert.DoesNotContain("reclam", portal.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("$47.600", portal.Document.QuerySelector("[data-testid=pay-total]")!.TextContent.Trim());
        var forged = await payer.FollowAsync(await s.PostPaymentAsync(payer, [claimed]), $"/portal/{s.Code}/documentos");
        Assert.NotNull(forged.Document.QuerySelector("[data-testid=pay-error]"));

        var owed = await s.Merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1");
        Assert.Equal("$47.600", owed.Document.QuerySelector("[data-testid=total-debt]")!.TextContent.Trim());
        var reclamadas = await s.Merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&situacion=reclamadas");
        Assert.Equal("$23.800", reclamadas.Document.QuerySelector("[data-testid=total-debt]")!.TextContent.Trim());
        Assert.NotNull(reclamadas.Document.QuerySelector($"[data-testid=owed-claimed-{claimed}]"));

        var resolved = await s.Merchant.Client.SubmitAsync(await s.Merchant.Client.GetAsync($"/documentos/{claimed}"), new Dictionary<string, string?>(),
            button: "[data-testid=resolve-claim-submit]");
        Assert.Contains("Reclamo quitado", resolved.Text);
        var again = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.NotNull(again.Document.QuerySelector($"input[name='Input.DocumentIds'][value='{claimed}']"));
        Assert.Equal("$71.400", again.Document.QuerySelector("[data-testid=pay-total]")!.TextContent.Trim());
    }
}

/// <summary>The 8-day acceptance window, on a clock the test moves: the business sees "en plazo de reclamo", the payer never.</summary>
public class ClaimWindowTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task Facturas_issued_less_than_8_days_ago_show_en_plazo_de_reclamo_to_the_business_only()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var result = await scope.Get<DocumentClaims>().MarkAsync(scope.Db, s.DocumentIds[1], DocumentClaim.Contenido, null, default);
            Assert.Equal(ClaimOutcome.Marked, result.Outcome);
        }
        var list = await s.Merchant.Client.GetAsync("/documentos");
        Assert.Equal("En plazo de reclamo", list.Document.QuerySelector($"[data-testid=badge-claim-window-{s.DocumentIds[0]}]")!.TextContent.Trim());
        Assert.Null(list.Document.QuerySelector($"[data-testid=badge-claim-window-{s.DocumentIds[1]}]"));   // claimed already
        var detail = await s.Merchant.Client.GetAsync($"/documentos/{s.DocumentIds[0]}");
        Assert.NotNull(detail.Document.QuerySelector($"[data-testid=badge-claim-window-{s.DocumentIds[0]}]"));

        var payer = await s.IdentifiedPayerAsync();
        foreach (var url in new[] { $"/portal/{s.Code}/documentos", $"/portal/{s.Code}/documentos/{s.DocumentIds[0]}" })
        {
            Assert.DoesNotContain("plazo de reclamo", (await payer.GetAsync(url)).Text, StringComparison.OrdinalIgnoreCase);
        }

        // The back-office sign-in lasts hours on the same clock: sign in again after each jump.
        factory.Clock.Advance(TimeSpan.FromDays(7));
        var day7 = await Merchant.SignInAsync(factory, s.Merchant);
        Assert.NotNull((await day7.Client.GetAsync("/documentos")).Document.QuerySelector($"[data-testid=badge-claim-window-{s.DocumentIds[0]}]"));
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var day8 = await Merchant.SignInAsync(factory, s.Merchant);
        var after = await day8.Client.GetAsync("/documentos");
        Assert.NotNull(after.Document.QuerySelector($"a[href='/documentos/{s.DocumentIds[0]}']"));
        Assert.Null(after.Document.QuerySelector($"[data-testid=badge-claim-window-{s.DocumentIds[0]}]"));
    }

    [Fact]
    public void The_window_is_8_days_from_issue_for_facturas_only()
    {
        var issued = new DateOnly(2026, 3, 2);
        Assert.True(DocumentClaims.WithinWindow(DocumentType.Factura, issued, null, issued));
        Assert.True(DocumentClaims.WithinWindow(DocumentType.FacturaExenta, issued, null, issued.AddDays(7)));
        Assert.False(DocumentClaims.WithinWindow(DocumentType.Factura, issued, null, issued.AddDays(8)));
        Assert.False(DocumentClaims.WithinWindow(DocumentType.Boleta, issued, null, issued));
        Assert.False(DocumentClaims.WithinWindow(DocumentType.Factura, issued, DocumentClaim.Contenido, issued));
    }
}

/// <summary>Reminders never chase a ceded or claimed factura (a fake clock walks to each reminder date).</summary>
public class CessionReminderTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task Reminders_leave_ceded_and_claimed_facturas_out()
    {
        // Due on day 10, 20 and 30; the default schedule reminds 3 days before: days 7, 17 and 27.
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        var start = ChileFormats.Today(factory.Clock);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var ceded = await scope.Get<DocumentCessions>().RecordAsync(scope.Db, s.DocumentIds[0], 1, Merchant.NewRut(76_000_000), "Factoring Sur SpA",
                factory.Clock.GetUtcNow().UtcDateTime, null, CessionSource.Aec, null, null, default);
            Assert.Equal(CessionOutcome.Recorded, ceded.Outcome);
            await scope.Get<DocumentClaims>().MarkAsync(scope.Db, s.DocumentIds[1], DocumentClaim.FaltaParcial, null, default);
        }
        var job = factory.Services.GetRequiredService<ReminderJob>();
        await job.RunAsync();
        factory.Clock.Advance(TimeSpan.FromDays(27));
        await job.RunAsync();

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        var log = Assert.Single(await check.Db.ReminderLogs.Where(l => l.CustomerId == s.CustomerId).ToListAsync());
        Assert.Equal(27, log.ReminderDate.DayNumber - start.DayNumber);
        Assert.Equal(1, log.Documents);
        Assert.Equal(35_700, log.Amount);
        var email = Assert.Single(await check.Db.Outbox.Where(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("Recordatorio de pago")).ToListAsync());
        Assert.DoesNotContain("$11.900", email.Payload);
        Assert.DoesNotContain("$23.800", email.Payload);
    }
}
