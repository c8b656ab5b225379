using System.Net;
using AngleSharp.Html.Dom;

namespace Abono.Tests.Platform.Security;

/// <summary>Every form and every button of it, fed hostile values: the answer is never a 5xx.</summary>
public class FormFuzzTests : IClassFixture<AbonoFactory>
{
    private static readonly string[] Nasty =
    [
        "", " ", "0", "-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999999", "1e9", "1,5", "1.000.000",
        "abc", "ñandú ☃ 𝄞", "'; DROP TABLE \"Customers\"; --", "<script>alert(1)</script>", "\u0000", "../../etc/passwd",
        "2026-02-31", "31-12-2026", "9999-12-31", "0001-01-01", "true", "false", "null", "Mixto", "Credito", "99", "61",
        "12.345.678-5", "+56961234567", "a@b.cl", new string('x', 5_000), "%00", "{{7*7}}", "NaN", "Infinity",
    ];

    private readonly AbonoFactory _factory;

    public FormFuzzTests(AbonoFactory factory) => _factory = factory;

    [Fact]
    public async Task No_form_answers_a_server_error_whatever_it_receives()
    {
        var merchant = await Merchant.SignUpAsync(_factory);
        var customer = await merchant.CreateCustomerAsync();
        var document = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Servicio", 1, 1_000)]));
        await merchant.Client.FillAsync("/productos/nuevo", new Dictionary<string, string?>
        {
            ["Input.Code"] = "F1", ["Input.Name"] = "Fuzz", ["Input.UnitPrice"] = "10",
        });
        var invitation = await merchant.Client.FillAsync("/mi-cuenta/usuarios", new Dictionary<string, string?>
        {
            ["Input.Email"] = $"f{Guid.NewGuid():N}@x.cl", ["Input.Role"] = "Vendedor",
        });
        var invitePath = new Uri(invitation.Document.QuerySelector("[data-testid=invitation-link]")!.GetAttribute("value")!).PathAndQuery;

        var sandboxPage = await merchant.Client.SubmitAsync(await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos"), new Dictionary<string, string?>());
        await merchant.Client.SubmitAsync(sandboxPage, new Dictionary<string, string?>(), button: "button[value=aprobar]");
        await merchant.Client.FillAsync("/configuracion/medios-de-pago/nuevo/prueba", new Dictionary<string, string?>());

        string[] signedInPages =
        [
            "/configuracion/medios-de-pago", "/configuracion/medios-de-pago/nuevo/webpay", "/configuracion/medios-de-pago/nuevo/transferencia",
            "/configuracion/medios-de-pago/nuevo/stripe", "/configuracion/portal-de-pagos/editar", "/mi-cuenta/servicios",
            "/configuracion/api", "/configuracion/webhooks", "/configuracion/recordatorios",
            "/clientes/nuevo", $"/clientes/{customer}/editar", $"/clientes/{customer}", "/productos/nuevo",
            "/documentos/nuevo", $"/documentos/nuevo?cliente={customer}", "/punto-de-venta", "/mi-cuenta/usuarios", "/salir",
        ];
        string[] anonymousPages = ["/crear-cuenta", "/ingresar", invitePath];

        var random = new Random(1234);
        var failures = new List<string>();
        var requests = 0;
        async Task FuzzAsync(AppClient client, string url)
        {
            var page = await client.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, $"GET {url} answered {(int)page.Status}");
            foreach (var form in page.Document.QuerySelectorAll("main form[method='post']").OfType<IHtmlFormElement>())
            {
                var names = form.Elements.Select(e => e.GetAttribute("name")).OfType<string>()
                    .Where(n => n != "__RequestVerificationToken").Distinct().ToList();
                names.AddRange(["Input.Lines[0].ProductId", "Input.Amounts[Credito]", "Input.Amounts[Otro]", "Input.CompanyId", "index"]);
                var actions = form.QuerySelectorAll("button[type=submit]").Select(b => b.GetAttribute("formaction")).Distinct()
                    .Select(a => a ?? form.GetAttribute("action") ?? url).ToList();
                foreach (var action in actions.DefaultIfEmpty(url))
                {
                    for (var round = 0; round < 6; round++)
                    {
                        var fields = names.Select(n => new KeyValuePair<string, string>(n, Nasty[random.Next(Nasty.Length)])).ToList();
                        var response = await client.PostRawAsync(action!, fields);
                        requests++;
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"POST {action} → {(int)response.StatusCode} with {string.Join("&", fields.Select(f => $"{f.Key}={f.Value[..Math.Min(f.Value.Length, 20)]}"))}");
                        }
                    }
                }
            }
        }

        // The payer's side: identification, the pending documents and the verification page.
        var scenario = await PortalScenario.CreateAsync(_factory, allowPartial: true, documents: 2);
        var payer = await scenario.IdentifiedPayerAsync();
        await FuzzAsync(payer, $"/portal/{scenario.Code}/documentos");
        using (var anonymousPayer = _factory.CreateAppClient())
        {
            await FuzzAsync(anonymousPayer, $"/portal/{scenario.Code}");
        }
        await FuzzAsync(scenario.Merchant.Client, $"/clientes/{scenario.CustomerId}/portal");

        foreach (var url in signedInPages.Where(u => u != "/salir"))
        {
            await FuzzAsync(merchant.Client, url);
        }
        foreach (var url in anonymousPages)
        {
            using var anonymous = _factory.CreateAppClient();
            await FuzzAsync(anonymous, url);
        }
        // Query strings too.
        foreach (var url in new[] { "/clientes", "/documentos", "/productos", "/documentos/nuevo", "/punto-de-venta", $"/clientes/{customer}", $"/documentos/{document}", "/reportes/pagos", "/reportes/pagos/documentos-adeudados" })
        {
            for (var round = 0; round < 5; round++)
            {
                var query = string.Join("&", new[] { "q", "pagina", "tipo", "cliente", "desde", "hasta", "estado", "referencia", "buscar", "despues", "medio", "vista", "emisionDesde", "venceHasta", "soloVencidos", "handler", "formato" }
                    .Select(k => $"{k}={Uri.EscapeDataString(Nasty[random.Next(Nasty.Length)])}"));
                var response = await merchant.Client.Http.GetAsync($"{url}?{query}");
                requests++;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {url}?{query[..Math.Min(query.Length, 300)]} → {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(requests > 200, $"only {requests} requests were made");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }
}
