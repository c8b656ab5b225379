using System.Globalization;
using System.IO.Compression;
using System.Net;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Reports;

/// <summary>Reportes → Pagos and Documentos adeudados against hand-computed figures, aging at its boundaries, exports, isolation.</summary>
public class ReportTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    private DateOnly Today => ChileFormats.Today(factory.Clock);

    /// <summary>One factura per due-date offset (days from today), each with net 1.000 × (index + 1) on crédito.</summary>
    private async Task<(Merchant Merchant, long CustomerId, List<long> Ids)> DocumentsDueAsync(params int[] daysFromToday)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync(name: "Cliente Reportes SpA");
        var ids = new List<long>();
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var issuer = scope.Get<DocumentIssuer>();
        for (var i = 0; i < daysFromToday.Length; i++)
        {
            var due = Today.AddDays(daysFromToday[i]);
            var (document, errors) = await issuer.IssueAsync(new IssueDocumentCommand
            {
                Type = (int)DocumentType.Factura,
                CustomerId = customer,
                IssueDate = due < Today ? due : Today,
                DueDate = due,
                Lines = [new IssueLine { Description = $"Servicio {i}", Quantity = 1, UnitPrice = 1_000 * (i + 1) }],
                SinglePaymentForm = PaymentForm.Credito,
            });
            Assert.False(errors.Any, string.Join(";", errors.All.SelectMany(e => e.Value)));
            ids.Add(document!.Id);
        }
        return (merchant, customer, ids);
    }

    private static long Clp(AppClient.Page page, string testId) =>
        long.Parse(page.Document.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim().Replace("$", "").Replace(".", ""));

    [Fact]
    public async Task Aging_buckets_split_exactly_at_days_0_1_30_31_60_61_90_and_91()
    {
        // Balances: 1.190, 2.380, 3.570, 4.760, 5.950, 7.140, 8.330, 9.520, 10.710 (net 1.000 × n + IVA).
        var (merchant, _, _) = await DocumentsDueAsync(0, -1, -30, -31, -60, -61, -90, -91, 5);
        var page = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1");

        Assert.Equal(1_190 + 10_710, Clp(page, "aging-current"));
        Assert.Equal(2_380 + 3_570, Clp(page, "aging-30"));
        Assert.Equal(4_760 + 5_950, Clp(page, "aging-60"));
        Assert.Equal(7_140 + 8_330, Clp(page, "aging-90"));
        Assert.Equal(9_520, Clp(page, "aging-over"));
        Assert.Equal(53_550, Clp(page, "total-debt"));
        Assert.Equal(53_550 - 11_900, Clp(page, "total-overdue"));
        var days = page.Document.QuerySelectorAll("[data-testid=owed-table] tbody tr td[data-label='Días vencido']").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["91", "90", "61", "60", "31", "30", "1", "—", "—"], days);
    }

    [Fact]
    public async Task Filters_and_totals_follow_notas_de_credito_and_partial_payments()
    {
        var (merchant, customer, ids) = await DocumentsDueAsync(-10, 10, 20);
        // A nota de crédito of 500 net (595) on the first; a partial payment of 1.000 recorded on the second.
        await merchant.IssueAsync(61, null, [("Descuento", 1, 500)], paymentForm: "", extra: new Dictionary<string, string?>
        {
            ["Input.ReferenceDocumentId"] = ids[0].ToString(),
        }, url: $"/documentos/nuevo?tipo=61&referencia={ids[0]}");
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            await scope.Db.Documents.Where(d => d.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance - 1_000));
        }
        var other = await merchant.CreateCustomerAsync(name: "Otra Empresa Ltda.");
        await merchant.IssueAsync(33, other, [("Otra", 1, 10_000)]);

        var all = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1");
        Assert.Equal(1_190 - 595 + 2_380 - 1_000 + 3_570 + 11_900, Clp(all, "total-debt"));
        Assert.Equal(595, Clp(all, "total-overdue"));

        var byName = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&cliente=reportes");
        Assert.Equal(595 + 1_380 + 3_570, Clp(byName, "total-debt"));
        var overdueOnly = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&soloVencidos=true");
        Assert.Equal(595, Clp(overdueOnly, "total-debt"));
        var dueWindow = await merchant.Client.GetAsync($"/reportes/pagos/documentos-adeudados?buscar=1&venceDesde={Today.AddDays(15):yyyy-MM-dd}&venceHasta={Today.AddDays(25):yyyy-MM-dd}");
        Assert.Equal(3_570, Clp(dueWindow, "total-debt"));

        var perCustomer = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&vista=clientes");
        Assert.Contains("Cliente Reportes SpA", perCustomer.Text);
        Assert.Contains("Otra Empresa Ltda.", perCustomer.Text);
        Assert.NotNull(perCustomer.Document.QuerySelector($"a[href^='/clientes/{customer}/portal']"));

        var inverted = await merchant.Client.GetAsync($"/reportes/pagos/documentos-adeudados?buscar=1&venceDesde={Today:yyyy-MM-dd}&venceHasta={Today.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, inverted.Status);
        Assert.Contains("anterior a «desde»", inverted.Text);
        foreach (var hostile in new[] { "cliente=%27%3B%20DROP%20TABLE%20x", "tipo=999", "despues=nonsense", "despues=9999-99-99_1", "emisionDesde=ayer" })
        {
            Assert.Equal(HttpStatusCode.OK, (await merchant.Client.Http.GetAsync($"/reportes/pagos/documentos-adeudados?buscar=1&{hostile}")).StatusCode);
        }
    }

    [Fact]
    public async Task Keyset_pages_cover_every_row_once()
    {
        var offsets = Enumerable.Range(0, 120).Select(i => i % 7 - 3).ToArray();
        var (merchant, _, ids) = await DocumentsDueAsync(offsets);
        var seen = new List<string>();
        var url = "/reportes/pagos/documentos-adeudados?buscar=1";
        for (var pages = 0; pages < 10 && url is not null; pages++)
        {
            var page = await merchant.Client.GetAsync(url);
            seen.AddRange(page.Document.QuerySelectorAll("[data-testid=owed-table] tbody tr td[data-label='Folio'] a").Select(a => a.TextContent));
            url = page.Document.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }
        Assert.Equal(ids.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Exports_carry_exactly_the_rows_on_screen_as_csv_and_xlsx()
    {
        var (merchant, _, _) = await DocumentsDueAsync(-40, -5, 3, 12);
        var url = "/reportes/pagos/documentos-adeudados?buscar=1&soloVencidos=true";
        var page = await merchant.Client.GetAsync(url);
        var folios = page.Document.QuerySelectorAll("[data-testid=owed-table] tbody tr td[data-label='Folio']").Select(td => td.TextContent.Trim()).ToList();
        var balances = page.Document.QuerySelectorAll("[data-testid=owed-table] tbody tr td[data-label='Saldo']")
            .Select(td => td.TextContent.Trim().Replace("$", "").Replace(".", "")).ToList();

        var csvResponse = await merchant.Client.Http.GetAsync(url + "&handler=Export&formato=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("Tipo;Folio;Cliente;RUT;Emisión;Vencimiento;Días vencido;Total;Saldo", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(';')).ToList();
        Assert.Equal(folios, rows.Select(r => r[1]));
        Assert.Equal(balances, rows.Select(r => r[8]));
        Assert.Equal(["40", "5"], rows.Select(r => r[6]));

        var xlsx = await merchant.Client.Http.GetAsync(url + "&handler=Export&formato=xlsx");
        using var zip = new ZipArchive(await xlsx.Content.ReadAsStreamAsync());
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        var xml = await new StreamReader(sheet.Open()).ReadToEndAsync();
        Assert.Equal(1 + folios.Count, System.Text.RegularExpressions.Regex.Matches(xml, "<row").Count);
        foreach (var balance in balances)
        {
            Assert.Contains($"<v>{balance}</v>", xml);
        }
    }

    [Fact]
    public async Task Reports_and_exports_never_show_another_company()
    {
        var (a, _, _) = await DocumentsDueAsync(-3, 4);
        var b = await Merchant.SignUpAsync(factory);
        foreach (var url in new[]
        {
            "/reportes/pagos/documentos-adeudados?buscar=1", "/reportes/pagos/documentos-adeudados?buscar=1&vista=clientes",
            "/reportes/pagos/documentos-adeudados?buscar=1&handler=Export&formato=csv", "/reportes/pagos", "/reportes/pagos?handler=Export&formato=csv", "/",
        })
        {
            var body = await (await b.Client.Http.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Cliente Reportes SpA", body);
        }
        Assert.Contains("Cliente Reportes SpA", await (await a.Client.Http.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&handler=Export&formato=csv")).Content.ReadAsStringAsync());
        _ = CultureInfo.InvariantCulture;
    }
}

public class PaymentsReportTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Payments_report_lists_portal_payments_with_totals_filters_and_detail()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer, [s.DocumentIds[0]]);
        await s.PayAsync(payer, [s.DocumentIds[1], s.DocumentIds[2]]);

        var page = await s.Merchant.Client.GetAsync("/reportes/pagos");
        Assert.Equal(2, page.Document.QuerySelectorAll("[data-testid=payments-table] tbody tr").Length);
        Assert.Equal("$71.400", page.Document.QuerySelector("[data-testid=payments-amount]")!.TextContent.Trim());
        Assert.Contains("Pasarela de prueba", page.Text);
        Assert.Contains("Cliente Portal Ltda.", page.Text);

        var byCustomer = await s.Merchant.Client.GetAsync($"/reportes/pagos?cliente={Uri.EscapeDataString(s.FormattedRut)}");
        Assert.Equal(2, byCustomer.Document.QuerySelectorAll("[data-testid=payments-table] tbody tr").Length);
        var nobody = await s.Merchant.Client.GetAsync("/reportes/pagos?cliente=nadie");
        Assert.Contains("No hay pagos con estos filtros", nobody.Text);
        var today = ChileFormats.Today(TimeProvider.System);
        var future = await s.Merchant.Client.GetAsync($"/reportes/pagos?desde={today.AddDays(1):yyyy-MM-dd}");
        Assert.Contains("No hay pagos con estos filtros", future.Text);
        var inverted = await s.Merchant.Client.GetAsync($"/reportes/pagos?desde={today:yyyy-MM-dd}&hasta={today.AddDays(-2):yyyy-MM-dd}");
        Assert.Contains("anterior a «desde»", inverted.Text);

        var detailUrl = page.Document.QuerySelector("[data-testid=payments-table] tbody tr a")!.GetAttribute("href")!;
        var detail = await s.Merchant.Client.GetAsync(detailUrl);
        Assert.Contains("Documentos pagados", detail.Text);
        Assert.Contains("Factura N° 2", detail.Text);

        var csv = await (await s.Merchant.Client.Http.GetAsync("/reportes/pagos?handler=Export&formato=csv")).Content.ReadAsStringAsync();
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(";11900;0", csv);
        Assert.Contains(";59500;0", csv);

        var home = await s.Merchant.Client.GetAsync("/");
        Assert.Equal("$71.400", home.Document.QuerySelector("[data-testid=collected-today]")!.TextContent.Trim());
    }
}
