using System.Net;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.BankTransfer.Cartola;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;

namespace Abono.Tests.BankTransfer;

/// <summary>
/// Conciliar cartola through the real pages: credits matched to declared transfers (TR- code) and to open documents
/// (RUT and amount), each confirmed exactly once through the transfer gateway and payment confirmation.
/// </summary>
public class CartolaTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private const string Page = "/reportes/pagos/conciliar";

    internal static async Task<AppClient.Page> UploadAsync(AppClient client, string fileName, byte[] content, string bank = "auto")
    {
        var page = await client.GetAsync(Page);
        var token = page.Document.QuerySelector("form[action*='handler=Upload'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(bank), "Banco" },
            { new ByteArrayContent(content), "Archivo", fileName },
        };
        var response = await client.Http.PostAsync(Page + "?handler=Upload", form);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"Upload answered {(int)response.StatusCode}");
        return await client.FollowAsync(response, Page);
    }

    private static string Today(int days = 0) => DateTime.Today.AddDays(days).ToString("dd-MM-yyyy");

    private async Task<List<BankStatementLine>> LinesAsync(PortalScenario s)
    {
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        return await scope.Db.BankStatementLines.OrderBy(l => l.Id).ToListAsync();
    }

    [Fact]
    public async Task A_TR_code_confirms_the_declared_transfer_once_and_a_reupload_records_nothing_new()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var transfer = await TransferTests.EnableTransferAsync(s);
        await TransferTests.DeclareAsync(s, transfer);
        Guid checkoutId;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            checkoutId = (await scope.Db.TransferDeclarations.SingleAsync()).CheckoutId;
        }
        var code = TransferGateway.ReferenceCode(checkoutId);
        var file = CartolaFiles.BancoEstado(
            (Today(), $"Transferencia de Cliente Portal {code.Replace("-", " ")}", "$11.900", ""),
            (Today(), "Deposito en efectivo sin datos", "7.000", ""),
            (Today(), "Pago de servicios", "", "50.000"));

        var uploaded = await UploadAsync(s.Merchant.Client, "cartola.csv", file);
        Assert.Contains("2 abonos, 2 nuevos", uploaded.Text);
        var exact = uploaded.Document.QuerySelector("[data-testid=cartola-exact]")!.TextContent;
        Assert.Contains(code, exact);
        Assert.Contains("Deposito en efectivo sin datos", uploaded.Document.QuerySelector("[data-testid=cartola-unmatched]")!.TextContent);

        // Confirmar seleccionados, then the same POST again (a double click, a retried request).
        var confirmed = await s.Merchant.Client.SubmitAsync(uploaded, new Dictionary<string, string?>(), button: "[data-testid=cartola-exact] form > button[type=submit]");
        Assert.Contains("1 abonos confirmados", confirmed.Text);
        var again = await s.Merchant.Client.SubmitAsync(uploaded, new Dictionary<string, string?>(), button: "[data-testid=cartola-exact] form > button[type=submit]");
        Assert.Contains("0 abonos confirmados", again.Text);
        var line = (await LinesAsync(s)).Single(l => l.Amount == 11_900);
        var single = await s.Merchant.Client.PostRawAsync($"{Page}?handler=Confirm", [new("linea", line.Id.ToString()), new("opcion", "t:" + checkoutId.ToString("N"))]);
        Assert.Contains("ya estaba decidido", (await s.Merchant.Client.FollowAsync(single, Page)).Text);

        var reupload = await UploadAsync(s.Merchant.Client, "cartola-otra-vez.csv", file);
        Assert.Contains("2 abonos, 0 nuevos, 2 ya estaban registrados", reupload.Text);

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        var payment = await check.Db.Payments.SingleAsync();
        Assert.Equal((checkoutId, 11_900L, GatewayKind.Transfer), (payment.CheckoutId, payment.Amount, payment.Method));
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
        Assert.Equal(TransferStatus.Confirmed, (await check.Db.TransferDeclarations.SingleAsync()).Status);
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync(c => c.Id == checkoutId)).State);
        var lines = await check.Db.BankStatementLines.ToListAsync();
        Assert.Equal(2, lines.Count);
        var confirmedLine = lines.Single(l => l.Id == line.Id);
        Assert.Equal((StatementLineStatus.Confirmed, (Guid?)checkoutId), (confirmedLine.Status, confirmedLine.CheckoutId));
        Assert.Equal(2, await check.Db.BankStatements.CountAsync());
    }

    [Fact]
    public async Task The_sender_rut_and_amount_pay_one_document_and_a_set()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        // Balances 11.900, 23.800, 35.700 due oldest first. 23.800 is one document; 47.600 the first and the third.
        var file = CartolaFiles.Bci(
            (Today(), $"TRANSF DE {s.FormattedRut} CLIENTE PORTAL", "23.800", ""),
            (Today(-1), $"TRANSF DE {s.FormattedRut} CLIENTE PORTAL", "$47.600", ""));
        var uploaded = await UploadAsync(s.Merchant.Client, "bci.csv", file);
        var exact = uploaded.Document.QuerySelector("[data-testid=cartola-exact]")!;
        Assert.Equal(2, exact.QuerySelectorAll("input[name=lineas]").Length);
        Assert.Contains("suma de 2 documentos", exact.TextContent);

        // Only the single-document one is selected this time.
        var lines = await LinesAsync(s);
        var one = lines.Single(l => l.Amount == 23_800);
        var response = await s.Merchant.Client.PostRawAsync($"{Page}?handler=ConfirmSelected", [new("lineas", one.Id.ToString())]);
        Assert.Contains("1 abonos confirmados", (await s.Merchant.Client.FollowAsync(response, Page)).Text);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal([11_900L, 0L, 35_700L], await scope.Db.Documents.OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync());
            var checkout = await scope.Db.Checkouts.SingleAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment);
            Assert.Equal((CheckoutState.Succeeded, GatewayKind.Transfer, 23_800L), (checkout.State, checkout.Gateway, checkout.Amount));
            var declaration = await scope.Db.TransferDeclarations.SingleAsync();
            Assert.Equal(TransferStatus.Confirmed, declaration.Status);
            Assert.Contains("TRANSF DE", System.Text.Encoding.UTF8.GetString(declaration.Proof!));
            Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
        }

        var set = lines.Single(l => l.Amount == 47_600);
        response = await s.Merchant.Client.PostRawAsync($"{Page}?handler=ConfirmSelected", [new("lineas", set.Id.ToString())]);
        Assert.Contains("1 abonos confirmados", (await s.Merchant.Client.FollowAsync(response, Page)).Text);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal([0L, 0L, 0L], await scope.Db.Documents.OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync());
            Assert.Equal([23_800L, 47_600L], await scope.Db.Payments.OrderBy(p => p.Id).Select(p => p.Amount).ToListAsync());
        }

        // Nothing is owed any more: another credit from this customer stays unmatched.
        var later = await UploadAsync(s.Merchant.Client, "bci-2.csv", CartolaFiles.Bci((Today(), $"TRANSF DE {s.FormattedRut}", "11.900", "")));
        Assert.Contains("$11.900", later.Document.QuerySelector("[data-testid=cartola-unmatched]")!.TextContent);
    }

    [Fact]
    public async Task Two_credits_claiming_the_same_document_are_suggestions_not_bulk_confirmable()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        // 23.800 is document 2; 71.400 is documents 1 to 3 oldest first: both want document 2.
        var uploaded = await UploadAsync(s.Merchant.Client, "bci.csv", CartolaFiles.Bci(
            (Today(), $"TRANSF DE {s.FormattedRut}", "23.800", ""), (Today(), $"TRANSF DE {s.FormattedRut}", "71.400", "")));
        Assert.Empty(uploaded.Document.QuerySelectorAll("[data-testid=cartola-exact] input[name=lineas]"));
        var suggestions = uploaded.Document.QuerySelector("[data-testid=cartola-suggestions]")!.TextContent;
        Assert.Contains("Otro abono de la cartola calza con lo mismo", suggestions);
        Assert.Contains("suma de 3 documentos", suggestions);
        var lines = await LinesAsync(s);
        var response = await s.Merchant.Client.PostRawAsync($"{Page}?handler=ConfirmSelected", lines.Select(l => new KeyValuePair<string, string>("lineas", l.Id.ToString())));
        Assert.Contains("0 abonos confirmados", (await s.Merchant.Client.FollowAsync(response, Page)).Text);
    }

    [Fact]
    public async Task An_ambiguous_credit_is_a_suggestion_confirmed_with_the_chosen_documents()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        // 35.700 is the third document alone, or the first two together.
        var uploaded = await UploadAsync(s.Merchant.Client, "chile.csv", CartolaFiles.BancoDeChile((Today(), $"TRASPASO DE: {s.FormattedRut}", "$35.700", "")));
        var suggestion = uploaded.Document.QuerySelector("[data-testid=cartola-suggestions] form")!;
        var options = suggestion.QuerySelectorAll("input[name=opcion]").Select(o => o.GetAttribute("value")!).ToList();
        Assert.Equal(2, options.Count);
        var pair = options.Single(o => o.Count(c => c == '-') == 1);
        await s.Merchant.Client.SubmitAsync(uploaded, new Dictionary<string, string?> { ["opcion"] = pair }, button: "[data-testid=cartola-suggestions] form button:not([formaction])");

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal([0L, 0L, 35_700L], await check.Db.Documents.OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync());
        Assert.Equal(35_700, (await check.Db.Payments.SingleAsync()).Amount);
        Assert.Equal(StatementLineStatus.Confirmed, (await check.Db.BankStatementLines.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_document_with_a_payment_in_process_is_not_proposed()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer, [s.DocumentIds[1]], decision: "none");   // 23.800 held at the Pasarela de prueba
        var uploaded = await UploadAsync(s.Merchant.Client, "bci.csv", CartolaFiles.Bci(
            (Today(), $"TRANSF DE {s.FormattedRut}", "23.800", ""),
            (Today(), $"TRANSF DE {s.FormattedRut}", "11.900", "")));
        var exact = uploaded.Document.QuerySelector("[data-testid=cartola-exact]")!.TextContent;
        Assert.Contains("N° ", exact);
        Assert.DoesNotContain("23.800)", exact);
        Assert.Contains("$23.800", uploaded.Document.QuerySelector("[data-testid=cartola-unmatched]")!.TextContent);
    }

    [Fact]
    public async Task Two_confirmations_of_one_credit_at_once_book_one_payment()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await UploadAsync(s.Merchant.Client, "bci.csv", CartolaFiles.Bci((Today(), $"TRANSF DE {s.FormattedRut}", "11.900", "")));
        var line = (await LinesAsync(s)).Single();
        string key;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            key = (await scope.Get<CartolaMatcher>().ProposeAsync([line], default))[0].Options.Single().Key;
        }
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
            return await scope.Get<CartolaConfirmations>().ConfirmAsync(line.Id, key, "test", default);
        }));
        Assert.Single(outcomes, o => o == ConfirmOutcome.Confirmed);
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(1, await check.Db.Payments.CountAsync());
        Assert.Equal(1, await check.Db.Checkouts.CountAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment));
        Assert.Equal(0, (await check.Db.Documents.SingleAsync()).Balance);
    }

    [Fact]
    public async Task An_overlapping_period_records_only_its_new_credits_and_a_credit_can_be_ignored_and_restored()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var first = await UploadAsync(s.Merchant.Client, "enero.csv", CartolaFiles.BancoDeChile(
            ("05/01/2025", "DEPOSITO", "$10.000", ""), ("05/01/2025", "DEPOSITO", "$10.000", ""), ("06/01/2025", "OTRO", "$2.000", "")));
        Assert.Contains("3 abonos, 3 nuevos", first.Text);
        var overlap = await UploadAsync(s.Merchant.Client, "enero-2.csv", CartolaFiles.BancoDeChile(
            ("06/01/2025", "OTRO", "$2.000", ""), ("07/01/2025", "NUEVO", "$3.000", "")));
        Assert.Contains("2 abonos, 1 nuevos, 1 ya estaban registrados", overlap.Text);
        Assert.Equal(4, (await LinesAsync(s)).Count);

        var line = (await LinesAsync(s)).First();
        var ignored = await s.Merchant.Client.FollowAsync(await s.Merchant.Client.PostRawAsync($"{Page}?handler=Ignore&linea={line.Id}", []), Page);
        Assert.Contains("Abono ignorado", ignored.Text);
        Assert.Equal(StatementLineStatus.Ignored, (await LinesAsync(s)).First().Status);
        var list = await s.Merchant.Client.GetAsync($"{Page}?estado=ignorados");
        Assert.Single(list.Document.QuerySelectorAll("[data-testid=cartola-credits] tbody tr"));
        var restored = await s.Merchant.Client.SubmitAsync(list, new Dictionary<string, string?>(), button: "[data-testid=cartola-credits] form[action*='handler=Restore'] button");
        Assert.Contains("volvió a la lista", restored.Text);
        Assert.Equal(StatementLineStatus.Unmatched, (await LinesAsync(s)).First().Status);
    }

    [Fact]
    public async Task An_unknown_layout_goes_through_the_mapping_screen_and_hostile_files_get_a_message_not_a_500()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var mapping = await UploadAsync(s.Merchant.Client, "otro-banco.csv", CartolaFiles.Csv(
        [
            "Fecha Mov;Glosa;RUT Origen;Monto Abono",
            $"{Today()};Transferencia recibida;{s.FormattedRut};11.900",
        ]));
        Assert.Contains("No reconocimos el banco", mapping.Text);
        Assert.NotNull(mapping.Document.QuerySelector("[data-testid=cartola-mapping]"));
        Assert.Equal("0", mapping.Document.QuerySelector("select[name='Mapeo.Date'] option[selected]")?.GetAttribute("value"));
        var mapped = await s.Merchant.Client.SubmitAsync(mapping, new Dictionary<string, string?>
        {
            ["Mapeo.HeaderRow"] = "1", ["Mapeo.Date"] = "0", ["Mapeo.Description"] = "1", ["Mapeo.Rut"] = "2", ["Mapeo.Credit"] = "3",
        }, form: "[data-testid=cartola-mapping] form");
        Assert.Contains("1 abonos, 1 nuevos", mapped.Text);
        Assert.Contains("RUT y saldo del documento", mapped.Document.QuerySelector("[data-testid=cartola-exact]")!.TextContent);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal(CartolaLayout.Generic, (await scope.Db.BankStatements.SingleAsync()).Layout);
        }

        foreach (var (name, content, message) in new (string, byte[], string)[]
        {
            ("cartola.pdf", "%PDF-1.4 binary"u8.ToArray(), "Los PDF no se pueden leer"),
            ("cartola.xlsx", "not a zip at all"u8.ToArray(), "no es un Excel válido"),
            ("cartola.csv", [0x00, 0x01, 0x02, 0x03], "caracteres binarios"),
            ("cartola.csv", "solo;texto\nsin;cartola\n"u8.ToArray(), "No reconocimos el banco"),
        })
        {
            var page = await UploadAsync(s.Merchant.Client, name, content);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(message, page.Text);
        }
        var big = await UploadAsync(s.Merchant.Client, "grande.csv", new byte[CartolaReader.MaxBytes + 10]);
        Assert.Contains("hasta 5 MB", big.FieldError("Archivo"));
    }
}
