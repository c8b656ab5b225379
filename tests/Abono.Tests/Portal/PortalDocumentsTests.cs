using System.Net;
using Abono.Web.Features.Collections;

namespace Abono.Tests.Portal;

/// <summary>Issue 13, items 4 and 6: the payer opens each of its documents (detail and PDF) and its payment history with receipts.</summary>
public class PortalDocumentsTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task The_document_detail_shows_lines_totals_iva_and_balance_and_downloads_as_pdf()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 0);
        var mixed = Merchant.IdFrom(await s.Merchant.IssueAsync(33, s.CustomerId, [("Servicio mensual", 2, 5_000), ("Asesoría", 1, 5_000)],
            extra: new Dictionary<string, string?> { ["Input.Lines[1].IsExempt"] = "true" }));
        var payer = await s.IdentifiedPayerAsync();

        var page = await payer.GetAsync($"/portal/{s.Code}/documentos/{mixed}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Factura electrónica N° 1", page.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("Pendiente", page.Document.QuerySelector("[data-testid=document-status]")!.TextContent.Trim());
        var rows = page.Document.QuerySelectorAll("[data-testid=document-lines] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Equal(["Servicio mensual", "2", "$5.000", "$10.000"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal("Asesoría (exento)", rows[1].QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("$10.000", Text(page, "document-net"));
        Assert.Equal("$5.000", Text(page, "document-exempt"));
        Assert.Equal("$1.900", Text(page, "document-tax"));
        Assert.Equal("$16.900", Text(page, "document-total"));
        Assert.Equal("$16.900", Text(page, "document-balance"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=document-no-payments]"));
        Assert.NotNull(page.Document.QuerySelector($"a[href='/portal/{s.Code}/documentos']"));
        var pdfLink = page.Document.QuerySelector("[data-testid=document-pdf]")!;
        Assert.Equal("Descargar PDF de Factura N° 1", pdfLink.TextContent.Trim());

        var pdf = await payer.Http.GetAsync(pdfLink.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("factura-electronica-1.pdf", pdf.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync());

        // The back office downloads the same document.
        var office = await s.Merchant.Client.Http.GetAsync($"/documentos/{mixed}?handler=Pdf");
        Assert.Equal("factura-electronica-1.pdf", office.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.StartsWith("%PDF", await office.Content.ReadAsStringAsync());
        var details = await s.Merchant.Client.GetAsync($"/documentos/{mixed}");
        Assert.Equal($"/documentos/{mixed}?handler=Pdf", details.Document.QuerySelector("[data-testid=document-pdf]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task After_a_payment_the_history_lists_it_with_its_reference_and_the_documents_it_paid_and_the_receipt_links_to_them()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var empty = await payer.GetAsync($"/portal/{s.Code}/pagos");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Contains("Aún no tienes pagos registrados", empty.Document.QuerySelector("[data-testid=no-payments]")!.TextContent);

        var result = await s.PayAsync(payer, s.DocumentIds.Take(2));
        long paymentId;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            paymentId = (await scope.Db.Payments.SingleAsync()).Id;
        }
        var reference = ReceiptData.FormatReference(paymentId);
        // The result page's receipt links each document it paid to its detail.
        foreach (var id in s.DocumentIds.Take(2))
        {
            Assert.Equal($"/portal/{s.Code}/documentos/{id}", result.Document.QuerySelector($"[data-testid=receipt-document-{id}]")!.GetAttribute("href"));
        }

        var history = await payer.GetAsync($"/portal/{s.Code}/pagos");
        var item = history.Document.QuerySelector($"[data-testid=payment-{paymentId}]")!;
        Assert.Single(history.Document.QuerySelectorAll("[data-testid=payment-history] > li"));
        Assert.Contains($"Comprobante {reference}", item.TextContent);
        Assert.Contains("Pasarela de prueba", item.TextContent);
        Assert.Equal("$35.700", item.QuerySelector($"[data-testid=payment-amount-{paymentId}]")!.TextContent.Trim());
        Assert.NotNull(item.QuerySelector($"[data-testid=payment-test-{paymentId}]"));
        for (var i = 0; i < 2; i++)
        {
            var link = item.QuerySelector($"[data-testid=paid-document-{paymentId}-{s.DocumentIds[i]}]")!;
            Assert.Equal($"Factura N° {i + 1}", link.TextContent.Trim());
            var detail = await payer.GetAsync(link.GetAttribute("href")!);
            Assert.Equal(HttpStatusCode.OK, detail.Status);
            Assert.Equal($"Factura electrónica N° {i + 1}", detail.Document.QuerySelector("h1")!.TextContent.Trim());
            Assert.Equal("Pagado", detail.Document.QuerySelector("[data-testid=document-status]")!.TextContent.Trim());
            Assert.Equal("$0", Text(detail, "document-balance"));
            var applied = detail.Document.QuerySelector($"[data-testid=applied-payment-{paymentId}]")!;
            Assert.Equal($"Comprobante {reference}", applied.TextContent.Trim());
            Assert.Equal($"/portal/{s.Code}/comprobantes/{paymentId}", applied.GetAttribute("href"));
        }
        Assert.DoesNotContain($"paid-document-{paymentId}-{s.DocumentIds[2]}", history.Html);

        // The receipt by payment number: same receipt, its documents link to their pages, and its PDF.
        var receipt = await payer.GetAsync(item.QuerySelector($"[data-testid=receipt-link-{paymentId}]")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, receipt.Status);
        Assert.Equal($"Comprobante de pago {reference}", receipt.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(reference, Text(receipt, "receipt-number"));
        Assert.Equal("$35.700", Text(receipt, "receipt-amount"));
        Assert.Contains("Factura N° 1: $11.900 · Pagado", receipt.Text);
        foreach (var id in s.DocumentIds.Take(2))
        {
            var href = receipt.Document.QuerySelector($"[data-testid=receipt-document-{id}]")!.GetAttribute("href")!;
            Assert.Equal(HttpStatusCode.OK, (await payer.Http.GetAsync(href)).StatusCode);
        }
        foreach (var pdfUrl in new[] { item.QuerySelector($"[data-testid=receipt-pdf-{paymentId}]")!.GetAttribute("href")!,
                     receipt.Document.QuerySelector("[data-testid=receipt-pdf]")!.GetAttribute("href")! })
        {
            var pdf = await payer.Http.GetAsync(pdfUrl);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
            Assert.Equal($"comprobante-{reference}.pdf", pdf.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
            Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_history_is_paginated_newest_first()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer);
        // Eleven older payments of the same checkout (a checkout approved again is a payment of its own): page 2 exists.
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var paid = await scope.Db.Payments.SingleAsync();
            for (var i = 1; i <= 11; i++)
            {
                scope.Db.Payments.Add(new Payment
                {
                    CompanyId = paid.CompanyId, CustomerId = paid.CustomerId, CheckoutId = paid.CheckoutId, PaidAt = paid.PaidAt.AddDays(-i),
                    Method = paid.Method, Amount = 1_000 * i, CreditAmount = 1_000 * i, RefundPending = true,
                });
            }
            await scope.Db.SaveChangesAsync();
        }

        var first = await payer.GetAsync($"/portal/{s.Code}/pagos");
        var amounts = first.Document.QuerySelectorAll("[data-testid=payment-history] > li [data-testid^=payment-amount-]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(10, amounts.Count);
        Assert.Equal("$11.900", amounts[0]);
        Assert.Equal("$1.000", amounts[1]);
        Assert.Contains("Saldo a favor: $1.000 (por reembolsar)", first.Text);
        var next = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await payer.GetAsync(next);
        Assert.Equal(["$10.000", "$11.000"],
            second.Document.QuerySelectorAll("[data-testid^=payment-amount-]").Select(e => e.TextContent.Trim()));

        foreach (var pagina in new[] { "abc", "-5", "0", "99999999999999999999", "%00" })
        {
            var odd = await payer.GetAsync($"/portal/{s.Code}/pagos?pagina={pagina}");
            Assert.True(odd.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"pagina={pagina}: {odd.Status}");
        }
        Assert.Equal(2, (await payer.GetAsync($"/portal/{s.Code}/pagos?pagina=99")).Document.QuerySelectorAll("[data-testid^=payment-amount-]").Length);
    }

    [Fact]
    public async Task A_nota_de_credito_appears_as_a_reference_on_its_factura_and_the_nota_links_back()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var factura = s.DocumentIds[0];
        var note = Merchant.IdFrom(await s.Merchant.IssueAsync(61, null, [("Descuento", 1, 2_000)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = factura.ToString(), ["Input.ReferenceReason"] = "Descuento acordado" },
            url: $"/documentos/nuevo?tipo=61&referencia={factura}"));
        var payer = await s.IdentifiedPayerAsync();

        var facturaPage = await payer.GetAsync($"/portal/{s.Code}/documentos/{factura}");
        var notes = facturaPage.Document.QuerySelector("[data-testid=document-notes]")!;
        Assert.Contains("Nota de crédito N° 1", notes.TextContent);
        Assert.Contains("Descuento acordado", notes.TextContent);
        Assert.Contains("-$2.380", notes.TextContent);
        Assert.Equal($"/portal/{s.Code}/documentos/{note}", notes.QuerySelector($"[data-testid=note-{note}]")!.GetAttribute("href"));
        Assert.Equal("$9.520", Text(facturaPage, "document-balance"));

        var notePage = await payer.GetAsync($"/portal/{s.Code}/documentos/{note}");
        Assert.Equal("Nota de crédito electrónica N° 1", notePage.Document.QuerySelector("h1")!.TextContent.Trim());
        var reference = notePage.Document.QuerySelector("[data-testid=document-reference]")!;
        Assert.Equal("Factura N° 1 · Descuento acordado", reference.TextContent.Trim());
        Assert.Equal($"/portal/{s.Code}/documentos/{factura}", reference.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Aplicada", notePage.Document.QuerySelector("[data-testid=document-status]")!.TextContent.Trim());
        Assert.Null(notePage.Document.QuerySelector("[data-testid=document-balance]"));
        Assert.Equal("$2.380", Text(notePage, "document-total"));

        var pdf = await payer.Http.GetAsync($"/portal/{s.Code}/documentos/{note}?handler=Pdf");
        Assert.Equal("nota-de-credito-1.pdf", pdf.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync());
        var facturaPdf = await payer.Http.GetAsync($"/portal/{s.Code}/documentos/{factura}?handler=Pdf");
        Assert.StartsWith("%PDF", await facturaPdf.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_payer_sees_only_its_own_documents_and_payments()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        // Another customer of the same business, who pays its own document.
        var otherRut = Merchant.NewRut(80_000_000);
        var otherCustomer = await s.Merchant.CreateCustomerAsync(rut: otherRut, name: "Vecino Ltda.", email: "vecino@cliente.cl");
        var othersDocument = Merchant.IdFrom(await s.Merchant.IssueAsync(33, otherCustomer, [("Ajeno", 1, 5_000)]));
        var neighbour = factory.CreateAppClient();
        await neighbour.FillAsync($"/portal/{s.Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = Abono.Web.Platform.Chile.Rut.Parse(otherRut).Formatted, ["Input.Contact"] = "vecino@cliente.cl",
        });
        await s.PayAsync(neighbour, [othersDocument]);
        // And another business altogether, whose customer pays too.
        var elsewhere = await PortalScenario.CreateAsync(factory, documents: 1);
        await elsewhere.PayAsync(await elsewhere.IdentifiedPayerAsync());
        long othersPayment, foreignPayment;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            othersPayment = (await scope.Db.Payments.SingleAsync(p => p.CustomerId == otherCustomer)).Id;
        }
        await using (var scope = factory.ScopeFor(elsewhere.Merchant.CompanyId))
        {
            foreignPayment = (await scope.Db.Payments.SingleAsync()).Id;
        }

        var payer = await s.IdentifiedPayerAsync();
        foreach (var url in new[]
                 {
                     $"/portal/{s.Code}/documentos/{othersDocument}", $"/portal/{s.Code}/documentos/{othersDocument}?handler=Pdf",
                     $"/portal/{s.Code}/documentos/{elsewhere.DocumentIds[0]}", $"/portal/{s.Code}/documentos/{elsewhere.DocumentIds[0]}?handler=Pdf",
                     $"/portal/{s.Code}/comprobantes/{othersPayment}", $"/portal/{s.Code}/comprobantes/{othersPayment}?handler=Pdf",
                     $"/portal/{s.Code}/comprobantes/{foreignPayment}", $"/portal/{s.Code}/comprobantes/{foreignPayment}?handler=Pdf",
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await payer.Http.GetAsync(url)).StatusCode);
        }
        // This payer's session is not one for the other portal either.
        var otherPortal = await payer.Http.GetAsync($"/portal/{elsewhere.Code}/documentos/{elsewhere.DocumentIds[0]}");
        Assert.Equal(HttpStatusCode.Redirect, otherPortal.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await payer.Http.GetAsync($"/portal/{s.Code}/documentos/{s.DocumentIds[0]}")).StatusCode);
        Assert.Contains("Aún no tienes pagos registrados", (await payer.GetAsync($"/portal/{s.Code}/pagos")).Text);
    }

    [Fact]
    public async Task Without_identification_the_pages_send_the_payer_to_identify_and_hostile_ids_are_404()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var stranger = factory.CreateAppClient();
        foreach (var url in new[]
                 {
                     $"/portal/{s.Code}/documentos/{s.DocumentIds[0]}", $"/portal/{s.Code}/documentos/{s.DocumentIds[0]}?handler=Pdf",
                     $"/portal/{s.Code}/pagos", $"/portal/{s.Code}/comprobantes/1", $"/portal/{s.Code}/comprobantes/1?handler=Pdf",
                 })
        {
            var response = await stranger.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith($"/portal/{s.Code}", response.Headers.Location!.OriginalString);
        }

        var payer = await s.IdentifiedPayerAsync();
        foreach (var id in new[] { "-1", "0", "9223372036854775807", "99999999999999999999", "abc", "1.5", "1e3", "%20", "0x10" })
        {
            foreach (var url in new[] { $"/portal/{s.Code}/documentos/{id}", $"/portal/{s.Code}/documentos/{id}?handler=Pdf", $"/portal/{s.Code}/comprobantes/{id}" })
            {
                var response = await payer.Http.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, (await payer.Http.GetAsync($"/portal/no-existe/documentos/{s.DocumentIds[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await payer.Http.GetAsync($"/portal/{new string('x', 300)}/pagos")).StatusCode);
    }

    private static string Text(AppClient.Page page, string testId) =>
        page.Document.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}
