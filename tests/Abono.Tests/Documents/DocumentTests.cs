using System.Net;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Documents;

/// <summary>Step 3 of the product (docs/product.md), first line: "Emite un documento desde el Punto de venta o desde Documentos a tu cliente con la forma de pago crédito."</summary>
public class DocumentTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_factura_on_credito_from_Documentos_becomes_the_customers_debt()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Constructora Cordillera", creditDays: 30);

        var page = await merchant.IssueAsync(33, customer, [("Cemento 25 kg", 10, 5_990), ("Flete", 1, 15_000)]);

        Assert.Matches(@"^/documentos/\d+$", page.Url);
        Assert.Contains("Factura electrónica N° 1 emitida por $89.131", page.Text);
        // Neto 74.900, IVA 14.231 (14.231,0), total 89.131, all on crédito.
        Assert.Contains("$74.900", page.Text);
        Assert.Contains("$14.231", page.Text);
        Assert.Equal("$89.131", page.Document.QuerySelector("[data-testid=document-balance]")!.TextContent.Trim());

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var document = await scope.Db.Documents.Include(d => d.Payments).SingleAsync();
        Assert.Equal(document.IssueDate.AddDays(30), document.DueDate);
        Assert.Equal(PaymentForm.Credito, Assert.Single(document.Payments).Form);
        Assert.Equal(89_131, document.Balance);

        var customerPage = await merchant.Client.GetAsync($"/clientes/{customer}");
        Assert.Equal("$89.131", customerPage.Document.QuerySelector("[data-testid=customer-balance]")!.TextContent.Trim());
        Assert.Contains("Factura N° 1", customerPage.Text);
    }

    [Fact]
    public async Task A_boleta_from_Punto_de_venta_uses_the_catalogue_and_the_same_records()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await merchant.Client.FillAsync("/productos/nuevo", new Dictionary<string, string?>
        {
            ["Input.Code"] = "caf01", ["Input.Name"] = "Café grano 1 kg", ["Input.UnitPrice"] = "11900",
        });
        await using (var s = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal("CAF01", (await s.Db.Products.SingleAsync()).Code);
        }
        var productId = (await merchant.Client.GetAsync("/punto-de-venta")).Document
            .QuerySelector("#Input_QuickProductId option[value]:not([value=''])")!.GetAttribute("value");

        var pos = await merchant.Client.GetAsync("/punto-de-venta");
        var withProduct = await merchant.Client.SubmitAsync(pos, new Dictionary<string, string?>
        {
            ["Input.QuickProductId"] = productId, ["Input.QuickQuantity"] = "2",
        }, button: "button[formaction*='handler=QuickAdd']");
        Assert.Equal("Café grano 1 kg", withProduct.Value("Input.Lines[0].Description"));

        var issued = await merchant.Client.SubmitAsync(withProduct, new Dictionary<string, string?>(), button: "button[formaction*='handler=Issue']");
        Assert.Contains("Boleta electrónica N° 1 emitida por $23.800", issued.Text);
        Assert.Contains("Punto de venta", issued.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var boleta = await scope.Db.Documents.Include(d => d.Lines).SingleAsync();
        Assert.Equal(DocumentType.Boleta, boleta.Type);
        Assert.Equal(DocumentOrigin.PuntoDeVenta, boleta.Origin);
        Assert.Equal(0, boleta.Balance);
        Assert.Equal(20_000, boleta.Net);
        Assert.Equal(3_800, boleta.Tax);
        Assert.NotNull(Assert.Single(boleta.Lines).ProductId);
    }

    [Fact]
    public async Task Credito_requires_a_customer_with_valid_email_and_phone_and_says_what_is_missing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Almacén Sin Datos", email: null, phone: null);

        var page = await merchant.IssueAsync(33, customer, [("Mercadería", 1, 10_000)]);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var message = page.Document.QuerySelector("[data-testid=customer-contact-error]")!;
        Assert.Contains("Almacén Sin Datos debe tener un correo electrónico válido y un teléfono válido", message.TextContent);
        var complete = await merchant.Client.SubmitAsync(page, new Dictionary<string, string?>(),
            button: "[data-testid=customer-contact-error] button[formaction*='handler=CompleteCustomer']");
        Assert.StartsWith($"/clientes/{customer}/editar", complete.Url);

        var cash = await merchant.IssueAsync(33, customer, [("Mercadería", 1, 10_000)], paymentForm: "Efectivo");
        Assert.Contains("emitida", cash.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync()).Balance);
    }

    [Fact]
    public async Task Formas_de_pago_must_add_up_to_the_total_and_the_credito_part_is_the_balance()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();

        var wrong = await merchant.IssueAsync(33, customer, [("Servicio", 1, 100_000)], paymentForm: "Mixto", extra: new Dictionary<string, string?>
        {
            ["Input.Amounts[Efectivo]"] = "50000", ["Input.Amounts[Credito]"] = "50000",
        });
        Assert.Contains("Las formas de pago suman $100.000 y el total del documento es $119.000.", wrong.FieldError("Input.Amounts"));

        var right = await merchant.IssueAsync(33, customer, [("Servicio", 1, 100_000)], paymentForm: "Mixto", extra: new Dictionary<string, string?>
        {
            ["Input.Amounts[Efectivo]"] = "19000", ["Input.Amounts[Tarjeta]"] = "40000", ["Input.Amounts[Credito]"] = "60000",
        });
        Assert.Equal("$60.000", right.Document.QuerySelector("[data-testid=document-balance]")!.TextContent.Trim());
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var document = await scope.Db.Documents.Include(d => d.Payments).SingleAsync();
        Assert.Equal(3, document.Payments.Count);
        Assert.Equal(1, document.Folio);
    }

    [Fact]
    public async Task Bad_lines_and_dates_are_refused_at_their_fields_and_nothing_is_saved()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var today = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System);

        var page = await merchant.IssueAsync(33, customer, [("Cero", 0, 1_000), ("Negativo", 1, -5), ("", 2, 100)], extra: new Dictionary<string, string?>
        {
            ["Input.IssueDate"] = today.AddDays(-1).ToString("yyyy-MM-dd"),
            ["Input.DueDate"] = today.AddDays(-10).ToString("yyyy-MM-dd"),
        });
        Assert.Equal("La cantidad debe ser mayor que cero.", page.FieldError("Input.Lines[0].Quantity"));
        Assert.Equal("El precio debe ser mayor que cero.", page.FieldError("Input.Lines[1].UnitPrice"));
        Assert.Equal("Ingresa la descripción.", page.FieldError("Input.Lines[2].Description"));
        Assert.Equal("La fecha de vencimiento no puede ser anterior a la emisión.", page.FieldError("Input.DueDate"));

        var noLines = await merchant.IssueAsync(33, customer, []);
        Assert.Contains("Agrega al menos una línea", noLines.FieldError("Input.Lines"));

        var noCustomer = await merchant.IssueAsync(33, null, [("Algo", 1, 1_000)], paymentForm: "Efectivo");
        Assert.Equal("Una factura requiere un cliente.", noCustomer.FieldError("Input.CustomerId"));

        var garbage = await merchant.IssueAsync(33, customer, [("Algo", 1, 1_000)], extra: new Dictionary<string, string?>
        {
            ["Input.Lines[0].Quantity"] = "uno", ["Input.IssueDate"] = "31-02-2026",
        });
        Assert.Contains("no es válido", garbage.FieldError("Input.Lines[0].Quantity"));

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
        Assert.Equal(0, await scope.Db.FolioCounters.SumAsync(f => f.LastFolio));
    }

    [Fact]
    public async Task A_nota_de_credito_reduces_the_referenced_balance_but_never_below_zero()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var factura = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Servicio", 1, 100_000)]));

        var tooBig = await merchant.IssueAsync(61, null, [("Devolución", 1, 100_001)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = factura.ToString() },
            url: $"/documentos/nuevo?tipo=61&referencia={factura}");
        Assert.Contains("La nota de crédito ($119.001) supera el saldo del documento referenciado ($119.000).", tooBig.FieldError("Input.Lines"));

        var note = await merchant.IssueAsync(61, null, [("Devolución parcial", 1, 20_000)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = factura.ToString(), ["Input.ReferenceReason"] = "Devuelve 2 sacos" },
            url: $"/documentos/nuevo?tipo=61&referencia={factura}");
        Assert.Contains("Nota de crédito electrónica N° 1 emitida por $23.800", note.Text);

        var facturaPage = await merchant.Client.GetAsync($"/documentos/{factura}");
        Assert.Equal("$95.200", facturaPage.Document.QuerySelector("[data-testid=document-balance]")!.TextContent.Trim());
        Assert.Contains("Nota de crédito N° 1", facturaPage.Text);

        var rest = await merchant.IssueAsync(61, null, [("Anulación del saldo", 1, 80_000)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = factura.ToString() },
            url: $"/documentos/nuevo?tipo=61&referencia={factura}");
        Assert.Contains("Nota de crédito N° 2", rest.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var paid = await scope.Db.Documents.SingleAsync(d => d.Id == factura);
        Assert.Equal(0, paid.Balance);
        Assert.Equal(DocumentStatus.Pagado, paid.StatusOn(ChileFormats.Today(TimeProvider.System)));
    }

    [Fact]
    public async Task The_list_filters_by_type_customer_dates_and_estado()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var andes = await merchant.CreateCustomerAsync(name: "Andes SpA");
        var sur = await merchant.CreateCustomerAsync(name: "Sur Ltda.");
        await merchant.IssueAsync(33, andes, [("A", 1, 1_000)]);
        await merchant.IssueAsync(33, sur, [("B", 1, 2_000)], paymentForm: "Efectivo");
        await merchant.IssueAsync(39, null, [("C", 1, 3_000)], paymentForm: "Tarjeta");
        var today = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System);
        await merchant.IssueAsync(33, sur, [("Vieja", 1, 4_000)], extra: new Dictionary<string, string?>
        {
            ["Input.IssueDate"] = today.AddDays(-60).ToString("yyyy-MM-dd"), ["Input.DueDate"] = today.AddDays(-30).ToString("yyyy-MM-dd"),
        });

        int Rows(AppClient.Page p) => p.Document.QuerySelectorAll("tbody tr").Length;
        Assert.Equal(4, Rows(await merchant.Client.GetAsync("/documentos")));
        Assert.Equal(1, Rows(await merchant.Client.GetAsync("/documentos?tipo=39")));
        Assert.Equal(2, Rows(await merchant.Client.GetAsync("/documentos?cliente=sur")));
        Assert.Equal(2, Rows(await merchant.Client.GetAsync("/documentos?estado=pagado")));
        Assert.Equal(1, Rows(await merchant.Client.GetAsync("/documentos?estado=pendiente")));
        var overdue = await merchant.Client.GetAsync("/documentos?estado=vencido");
        Assert.Equal(1, Rows(overdue));
        Assert.Contains("Vencido", overdue.Text);
        Assert.Equal(1, Rows(await merchant.Client.GetAsync($"/documentos?hasta={today.AddDays(-1):yyyy-MM-dd}")));
        Assert.Equal(3, Rows(await merchant.Client.GetAsync($"/documentos?desde={today.AddDays(-1):yyyy-MM-dd}")));
        Assert.Contains("Ningún documento coincide", (await merchant.Client.GetAsync("/documentos?cliente=nadie")).Text);
        Assert.Equal(HttpStatusCode.OK, (await merchant.Client.Http.GetAsync("/documentos?desde=ayer&tipo=abc&pagina=-3")).StatusCode);
    }

    [Fact]
    public async Task Punto_de_venta_only_issues_boletas_and_facturas()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var page = await merchant.IssueAsync(56, customer, [("Algo", 1, 1_000)], url: "/punto-de-venta");
        Assert.Equal("Ese tipo de documento no se emite desde aquí.", page.FieldError("Input.Type"));
    }
}

public class NotaDeDebitoTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_nota_de_debito_references_a_document_and_its_credito_part_is_a_new_debt_of_the_same_customer()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Cliente Con Intereses");
        var factura = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Servicio", 1, 100_000)]));

        var noReference = await merchant.IssueAsync(56, customer, [("Intereses", 1, 5_000)]);
        Assert.Equal("Elige el documento al que se refiere la nota.", noReference.FieldError("Input.ReferenceDocumentId"));

        var note = await merchant.IssueAsync(56, null, [("Intereses por mora", 1, 5_000)],
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = factura.ToString() },
            url: $"/documentos/nuevo?tipo=56&referencia={factura}");
        Assert.Contains("Nota de débito electrónica N° 1 emitida por $5.950", note.Text);

        var customerPage = await merchant.Client.GetAsync($"/clientes/{customer}");
        Assert.Equal("$124.950", customerPage.Document.QuerySelector("[data-testid=customer-balance]")!.TextContent.Trim());
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var debit = await scope.Db.Documents.SingleAsync(d => d.Type == DocumentType.NotaDebito);
        Assert.Equal(customer, debit.CustomerId);
        Assert.Equal(factura, debit.ReferenceDocumentId);
        Assert.Equal(119_000, (await scope.Db.Documents.SingleAsync(d => d.Id == factura)).Balance);
    }
}
