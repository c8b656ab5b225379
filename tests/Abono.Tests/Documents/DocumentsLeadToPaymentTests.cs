using System.Net;
using AngleSharp.Html.Dom;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Documents;

/// <summary>
/// Issue 18 item 4, "Documents lead to payment": from a document (its detail, or right after a sale at Punto de venta)
/// to its PDF, the customer's payment link (email, WhatsApp, copy) and the next sale; the nota de crédito form; the
/// lines kept while completing the customer; the totals with and without JavaScript.
/// </summary>
public class DocumentsLeadToPaymentTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private const string IssueButton = "button[formaction*='handler=Issue']";

    private static string? Attr(AppClient.Page page, string selector, string attribute) =>
        page.Document.QuerySelector(selector)?.GetAttribute(attribute);

    [Fact]
    public async Task A_pending_factura_on_credito_offers_the_customers_portal_link_by_email_WhatsApp_and_copy()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var factura = s.DocumentIds[0];

        // Showing the document creates no link: the merchant creates it (and that is what Primeros pasos counts as sharing).
        var first = await s.Merchant.Client.GetAsync($"/documentos/{factura}");
        Assert.Null(first.Document.QuerySelector("[data-testid=payment-link]"));
        Assert.Contains("aún no tiene link de pago", first.Document.QuerySelector("[data-testid=payment-link-none]")!.TextContent);
        var detail = await s.Merchant.Client.SubmitAsync(first, new Dictionary<string, string?>(), button: "[data-testid=payment-link-create]");
        Assert.Equal($"/documentos/{factura}", detail.Url);
        Assert.Contains("Creamos el link de pago de Cliente Portal Ltda.", detail.Text);

        var link = Attr(detail, "[data-testid=payment-link]", "value")!;
        Assert.True(detail.Document.QuerySelector("[data-testid=payment-link]")!.HasAttribute("readonly"));
        // The same link the customer's Portal de pagos page shares: one link per customer, not one per screen.
        var share = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        Assert.Equal(Attr(share, "[data-testid=customer-link]", "value"), link);
        Assert.Matches("^http://localhost/portal/c/[A-Za-z0-9_-]{43}$", link);
        var copy = detail.Document.QuerySelector($"button[data-copy='{link}']")!;
        Assert.True(copy.HasAttribute("hidden"), "Without JavaScript the field is what copies; the button shows only where it works.");

        var whatsApp = Attr(detail, "[data-testid=payment-link-whatsapp]", "href")!;
        Assert.StartsWith("https://wa.me/56961234567?text=", whatsApp);
        var today = ChileFormats.Today(TimeProvider.System);
        Assert.Equal($"Hola Cliente Portal Ltda., te enviamos la Factura electrónica N° 1 por $11.900, con vencimiento el {ChileFormats.Date(today.AddDays(10))}. "
            + $"Puedes revisarla y pagarla en línea aquí: {link}", Uri.UnescapeDataString(whatsApp.Split("?text=")[1]));

        var sent = await s.Merchant.Client.SubmitAsync(detail, new Dictionary<string, string?>(), button: "form[action*='handler=Email'] button");
        Assert.Equal($"/documentos/{factura}", sent.Url);
        Assert.Contains($"Enviamos el enlace a {PortalScenario.CustomerEmail}.", sent.Text);
        Assert.Equal(new Uri(link).PathAndQuery, await Merchant.EmailedLinkAsync(factory, PortalScenario.CustomerEmail, "/portal/c/"));
    }

    [Fact]
    public async Task Crear_link_de_pago_comes_back_only_to_a_page_of_this_app()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        foreach (var forged in new[] { "https://otro-sitio.example/phish", "//otro-sitio.example/", "/\\otro-sitio.example" })
        {
            var answer = await s.Merchant.Client.PostRawAsync($"/clientes/{s.CustomerId}/portal?handler=Create", [new("volver", forged)]);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal($"/clientes/{s.CustomerId}/portal", answer.Headers.Location!.OriginalString);
        }
        var back = await s.Merchant.Client.PostRawAsync($"/clientes/{s.CustomerId}/portal?handler=Create", [new("volver", $"/documentos/{s.DocumentIds[0]}")]);
        Assert.Equal($"/documentos/{s.DocumentIds[0]}", back.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Without_the_Portal_de_pagos_the_document_explains_why_there_is_no_payment_link()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var factura = await merchant.IssueAsync(33, customer, [("Servicio", 1, 50_000)]);

        var reason = factura.Document.QuerySelector("[data-testid=payment-link-unavailable]")!;
        Assert.Equal("Para enviar links de pago necesitas el Portal de pagos contratado y configurado.", reason.TextContent.Trim());
        Assert.NotNull(factura.Document.QuerySelector("[data-testid=payment-link-panel] a[href='/configuracion/portal-de-pagos']"));
        Assert.Null(factura.Document.QuerySelector("[data-testid=payment-link]"));
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.CustomerPortalLinks.CountAsync());
    }

    [Fact]
    public async Task A_sale_paid_at_once_and_a_nota_de_credito_have_nothing_to_collect_and_say_so()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);

        var cash = await s.Merchant.IssueAsync(33, s.CustomerId, [("Mesa", 1, 30_000)], paymentForm: "Efectivo");
        Assert.Equal("Se pagó al emitirlo (Efectivo): no quedó saldo a crédito por cobrar.",
            cash.Document.QuerySelector("[data-testid=payment-link-unavailable]")!.TextContent.Trim());
        Assert.Null(cash.Document.QuerySelector("[data-testid=payment-link]"));

        var nota = await s.Merchant.IssueAsync(61, null, [("Descuento", 1, 1_000)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = s.DocumentIds[0].ToString() },
            url: $"/documentos/nuevo?tipo=61&referencia={s.DocumentIds[0]}");
        Assert.Equal("Una nota de crédito no se cobra: su total ya se descontó del saldo del documento que referencia.",
            nota.Document.QuerySelector("[data-testid=payment-link-unavailable]")!.TextContent.Trim());

        var boleta = await s.Merchant.IssueAsync(39, null, [("Café", 1, 2_000)], paymentForm: "Tarjeta", url: "/punto-de-venta");
        Assert.Equal("Este documento no tiene cliente, y el link de pago es personal de cada cliente.",
            boleta.Document.QuerySelector("[data-testid=payment-link-unavailable]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Right_after_a_sale_at_Punto_de_venta_come_its_PDF_the_payment_link_and_Nueva_venta_with_a_fresh_form()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);

        var sale = await s.Merchant.IssueAsync(33, s.CustomerId, [("Parafina 20 litros", 2, 25_000)], url: "/punto-de-venta");

        Assert.Matches(@"^/punto-de-venta/venta/\d+$", sale.Url);
        var id = Merchant.IdFrom(sale);
        Assert.Contains("Factura electrónica N° 2 emitida por $59.500.", sale.Text);
        Assert.Equal("Factura electrónica N° 2", sale.Document.QuerySelector("[data-testid=sale-summary] h2")!.TextContent.Trim());
        var pdfHref = Attr(sale, "[data-testid=document-pdf]", "href")!;
        Assert.Equal($"/documentos/{id}?handler=Pdf", pdfHref);
        var pdf = await s.Merchant.Client.Http.GetAsync(pdfHref);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("factura-electronica-2.pdf", pdf.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        // The customer's link is created from the sale, which comes back with it.
        sale = await s.Merchant.Client.SubmitAsync(sale, new Dictionary<string, string?>(), button: "[data-testid=payment-link-create]");
        Assert.Equal($"/punto-de-venta/venta/{id}", sale.Url);
        Assert.StartsWith("https://wa.me/56961234567?text=", Attr(sale, "[data-testid=payment-link-whatsapp]", "href"));
        Assert.Equal($"/documentos/{id}", Attr(sale, "[data-testid=document-detail]", "href"));

        // Enviar por correo comes back to the sale, not to the customer's page.
        var sent = await s.Merchant.Client.SubmitAsync(sale, new Dictionary<string, string?>(), button: "form[action*='handler=Email'] button");
        Assert.Equal($"/punto-de-venta/venta/{id}", sent.Url);

        Assert.Equal("/punto-de-venta", Attr(sale, "[data-testid=new-sale]", "href"));
        var fresh = await s.Merchant.Client.GetAsync("/punto-de-venta");
        Assert.Equal("", fresh.Value("Input.Lines[0].Description"));
        Assert.Null(fresh.Value("Input.CustomerId"));
        Assert.Equal(((int)DocumentType.Boleta).ToString(), Attr(fresh, "#Input_Type option[selected]", "value"));

        var detail = await s.Merchant.Client.GetAsync($"/documentos/{id}");
        Assert.Equal("/punto-de-venta", Attr(detail, "[data-testid=new-sale]", "href"));
        Assert.Null((await s.Merchant.Client.GetAsync($"/documentos/{s.DocumentIds[0]}")).Document.QuerySelector("[data-testid=new-sale]"));
    }

    [Theory]
    [InlineData("/punto-de-venta")]
    [InlineData("/documentos/nuevo")]
    public async Task Coming_back_from_Completar_datos_del_cliente_keeps_the_lines_already_typed(string form)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Ferretería Sin Contacto", email: null, phone: null);
        var refused = await merchant.IssueAsync(33, customer, [("Martillo", 3, 7_990), ("Clavos 1 kg", 2, 2_500)], url: form);
        Assert.NotNull(refused.Document.QuerySelector("[data-testid=customer-contact-error]"));

        var edit = await merchant.Client.SubmitAsync(refused, new Dictionary<string, string?>(), button: "button[formaction*='handler=CompleteCustomer']");
        Assert.StartsWith($"/clientes/{customer}/editar?volver=", edit.Url);
        var back = await merchant.Client.SubmitAsync(edit, new Dictionary<string, string?>
        {
            ["Input.Email"] = "compras@ferreteria.cl", ["Input.Phone"] = "9 8765 4321",
        });

        Assert.Equal($"{form}?cliente={customer}&borrador=1", back.Url);
        Assert.Equal("Martillo", back.Value("Input.Lines[0].Description"));
        Assert.Equal("3", back.Value("Input.Lines[0].Quantity"));
        Assert.Equal("7990", back.Value("Input.Lines[0].UnitPrice"));
        Assert.Equal("Clavos 1 kg", back.Value("Input.Lines[1].Description"));
        Assert.Equal("33", Attr(back, "#Input_Type option[selected]", "value"));
        Assert.True(((IHtmlInputElement)back.Document.QuerySelector("#pay-Credito")!).IsChecked);
        Assert.Contains("compras@ferreteria.cl", back.Document.QuerySelector("[data-testid=selected-customer]")!.TextContent);

        var issued = await merchant.Client.SubmitAsync(back, new Dictionary<string, string?>(), button: IssueButton);
        Assert.Contains("Factura electrónica N° 1 emitida por $34.474.", issued.Text);
        // The kept form comes back once: the next visit is a fresh form.
        Assert.Equal("", (await merchant.Client.GetAsync($"{form}?cliente={customer}&borrador=1")).Value("Input.Lines[0].Description"));
    }

    [Fact]
    public async Task Emitir_nota_de_credito_starts_from_the_facturas_lines_and_customer_without_forma_de_pago_or_due_date()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Constructora Cordillera");
        var factura = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Cemento 25 kg", 10, 5_990), ("Flete", 1, 15_000)]));

        var detail = await merchant.Client.GetAsync($"/documentos/{factura}");
        var start = detail.Document.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "Emitir nota de crédito").GetAttribute("href");
        Assert.Equal($"/documentos/{factura}/nota-de-credito", start);
        var form = await merchant.Client.GetAsync(start!);

        Assert.Equal("Emitir nota de crédito electrónica", form.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Factura electrónica N° 1", form.Document.QuerySelector("[data-testid=credit-note-reference]")!.TextContent);
        Assert.Contains("Constructora Cordillera", form.Document.QuerySelector("[data-testid=credit-note-customer]")!.TextContent);
        Assert.Equal("$89.131 de un total de $89.131", form.Document.QuerySelector("[data-testid=credit-note-factura-balance]")!.TextContent.Trim());
        Assert.Equal("Cemento 25 kg", form.Value("Input.Lines[0].Description"));
        Assert.Equal("10", form.Value("Input.Lines[0].Quantity"));
        Assert.Equal("5990", form.Value("Input.Lines[0].UnitPrice"));
        Assert.Equal("Flete", form.Value("Input.Lines[1].Description"));
        Assert.Empty(form.Document.QuerySelectorAll("[name='Input.SinglePaymentForm'], [name='Input.DueDate'], [name^='Input.Amounts']"));
        Assert.Equal("Emitir nota de crédito", form.Document.QuerySelector(IssueButton)!.TextContent.Trim());
    }

    [Fact]
    public async Task An_issued_nota_de_credito_is_Aplicada_and_takes_its_total_off_the_facturas_balance()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var other = await merchant.CreateCustomerAsync(name: "Otro Cliente SpA");
        var factura = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Cemento 25 kg", 10, 5_990), ("Flete", 1, 15_000)]));
        var otherFactura = Merchant.IdFrom(await merchant.IssueAsync(33, other, [("Otra cosa", 1, 1_000)]));
        var form = await merchant.Client.GetAsync($"/documentos/{factura}/nota-de-credito");

        // Two sacks come back and the flete stays; whatever else is posted, the nota is for this factura and its customer.
        var nota = await merchant.Client.SubmitAsync(form, new Dictionary<string, string?>
        {
            ["Input.Lines[0].Quantity"] = "2",
            ["Input.Lines[1].ProductId"] = "", ["Input.Lines[1].Description"] = "", ["Input.Lines[1].Quantity"] = "", ["Input.Lines[1].UnitPrice"] = "",
            ["Input.ReferenceReason"] = "Devolución de 2 sacos",
            ["Input.ReferenceDocumentId"] = otherFactura.ToString(), ["Input.CustomerId"] = other.ToString(),
            ["Input.SinglePaymentForm"] = "Credito", ["Input.DueDate"] = "2030-01-01", ["Input.Type"] = "33",
        }, button: IssueButton);

        Assert.Matches(@"^/documentos/\d+$", nota.Url);
        Assert.Contains("Nota de crédito electrónica N° 1 emitida por $14.256.", nota.Text);
        Assert.Equal("Nota de crédito electrónica N° 1", nota.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("Aplicada", nota.Document.QuerySelector("[data-testid=document-status]")!.TextContent.Trim());
        Assert.DoesNotContain("Vencimiento", nota.Text);
        Assert.DoesNotContain("Pagado", nota.Document.QuerySelector("[data-testid=document-status]")!.TextContent);
        Assert.Equal("$14.256", nota.Document.QuerySelector("[data-testid=document-total]")!.TextContent.Trim());

        var facturaPage = await merchant.Client.GetAsync($"/documentos/{factura}");
        Assert.Equal("$74.875", facturaPage.Document.QuerySelector("[data-testid=document-balance]")!.TextContent.Trim());
        Assert.Contains("Nota de crédito N° 1", facturaPage.Document.QuerySelector("[data-testid=payment-history]")!.TextContent);
        var list = await merchant.Client.GetAsync("/documentos?estado=aplicada");
        Assert.Equal("Aplicada", Assert.Single(list.Document.QuerySelectorAll("tbody tr")).QuerySelector(".badge-status")!.TextContent.Trim());
        Assert.Empty((await merchant.Client.GetAsync("/documentos?estado=pagado")).Document.QuerySelectorAll("tbody tr"));

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var issued = await scope.Db.Documents.Include(d => d.Lines).Include(d => d.Payments).SingleAsync(d => d.Type == DocumentType.NotaCredito);
        Assert.Equal(factura, issued.ReferenceDocumentId);
        Assert.Equal(customer, issued.CustomerId);
        Assert.Equal("Devolución de 2 sacos", issued.ReferenceReason);
        Assert.Empty(issued.Payments);
        Assert.Equal(issued.IssueDate, issued.DueDate);
        Assert.Equal(2, Assert.Single(issued.Lines).Quantity);
        Assert.Equal(74_875, (await scope.Db.Documents.SingleAsync(d => d.Id == factura)).Balance);
        Assert.Equal(1_190, (await scope.Db.Documents.SingleAsync(d => d.Id == otherFactura)).Balance);
        Assert.Equal(DocumentStatus.Aplicada, issued.StatusOn(ChileFormats.Today(TimeProvider.System)));
    }

    [Fact]
    public async Task The_nota_de_credito_form_is_only_for_facturas()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var boleta = Merchant.IdFrom(await merchant.IssueAsync(39, null, [("Café", 1, 2_000)], paymentForm: "Efectivo"));
        Assert.Equal(HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync($"/documentos/{boleta}/nota-de-credito")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync("/documentos/999999/nota-de-credito")).StatusCode);
    }

    [Fact]
    public async Task Without_JavaScript_Calcular_total_shows_neto_IVA_and_total_at_Punto_de_venta()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var pos = await merchant.Client.GetAsync("/punto-de-venta");

        // What documentos.js reads to total the lines live, and what it hides once it runs.
        var formElement = pos.Document.QuerySelector("form[data-issue-form]")!;
        Assert.Equal("19", formElement.GetAttribute("data-vat"));
        Assert.Equal("34,41", formElement.GetAttribute("data-exempt-types"));
        Assert.Equal("39", formElement.GetAttribute("data-gross-types"));
        Assert.True(pos.Document.QuerySelector("[data-live-totals]")!.HasAttribute("hidden"));
        Assert.NotNull(pos.Document.QuerySelector("button[data-without-script][formaction*='handler=Calculate']"));
        Assert.Contains("/js/documentos.js", pos.Html);
        Assert.Equal(DocumentTypes.All.Where(t => !t.IsNote()).Select(t => t.Name()).Order(),
            pos.Document.QuerySelectorAll("#Input_Type option").Select(o => o.TextContent.Trim()).Order());

        var boleta = await merchant.Client.SubmitAsync(pos, new Dictionary<string, string?>
        {
            ["Input.Lines[0].Description"] = "Café grano 1 kg", ["Input.Lines[0].Quantity"] = "2", ["Input.Lines[0].UnitPrice"] = "11900",
        }, button: "button[data-without-script][formaction*='handler=Calculate']");
        var totals = boleta.Document.QuerySelector("[data-live-totals]")!;
        Assert.False(totals.HasAttribute("hidden"));
        Assert.Equal("$20.000", totals.QuerySelector("[data-total=net]")!.TextContent);
        Assert.Equal("$3.800", totals.QuerySelector("[data-total=tax]")!.TextContent);
        Assert.Equal("$23.800", totals.QuerySelector("[data-total=total]")!.TextContent);

        var factura = await merchant.Client.SubmitAsync(boleta, new Dictionary<string, string?>
        {
            ["Input.Type"] = "33", ["Input.CustomerId"] = customer.ToString(), ["Input.Lines[0].Quantity"] = "1", ["Input.Lines[0].UnitPrice"] = "100000",
        }, button: "button[data-without-script][formaction*='handler=Calculate']");
        Assert.Equal("$100.000", factura.Document.QuerySelector("[data-total=net]")!.TextContent);
        Assert.Equal("$19.000", factura.Document.QuerySelector("[data-total=tax]")!.TextContent);
        Assert.Equal("$119.000", factura.Document.QuerySelector("[data-total=total]")!.TextContent);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }
}
