using System.Data.Common;
using System.Net;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Gateways;

namespace Abono.Tests.PortalSettings;

/// <summary>Step 2 of the product (docs/product.md): Engranaje → Ver más → Portal de pagos → Editar (Nombre, Emisor, Medios de pago).</summary>
public class PortalConfigurationTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static async Task ContractAsync(Merchant merchant)
    {
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        var result = await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");
        Assert.Contains("¡Listo!", result.Text);
    }

    private static Task<AppClient.Page> AddMethodAsync(Merchant merchant, string slug, Dictionary<string, string?> fields) =>
        merchant.Client.FillAsync($"/configuracion/medios-de-pago/nuevo/{slug}", fields.ToDictionary(f => $"Fields[{f.Key}]", f => f.Value));

    [Fact]
    public async Task Without_the_service_the_settings_explain_how_to_contract_and_the_link_is_unavailable()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var settings = await merchant.Client.GetAsync("/configuracion/portal-de-pagos");
        Assert.NotNull(settings.Document.QuerySelector("[data-testid=portal-not-contracted]"));
        Assert.Contains("Agregar servicios a mi plan", settings.Text);

        var portal = await factory.CreateAppClient().GetAsync("/portal/no-existe");
        Assert.Equal(HttpStatusCode.NotFound, portal.Status);
        Assert.Contains("Portal no disponible", portal.Text);
    }

    [Fact]
    public async Task Configure_name_issuer_and_the_methods_that_are_configured_and_active()
    {
        var merchant = await Merchant.SignUpAsync(factory, "Librería Configurada SpA");
        await ContractAsync(merchant);

        var card = await merchant.Client.GetAsync("/configuracion/portal-de-pagos");
        var link = card.Document.QuerySelector("[data-testid=company-link]")!.GetAttribute("value")!;
        Assert.Matches(@"^http://localhost/portal/[A-Za-z0-9_-]{16}$", link);
        Assert.Contains("Ninguno activo", card.Text);
        var portal = await factory.CreateAppClient().GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, portal.Status);
        Assert.Contains("Portal de pagos Librería Configurada SpA", portal.Text);

        // Nothing configured yet: the panel lists no methods and offers Agregar.
        var panel = await merchant.Client.GetAsync("/configuracion/portal-de-pagos/editar");
        Assert.Contains("No tienes medios de pago configurados y activos.", panel.Text);
        Assert.NotNull(panel.Document.QuerySelector("a[href*='/configuracion/medios-de-pago?volver=']"));

        // Agregar: the sandbox, then come back to enable it (as the help article says).
        var added = await AddMethodAsync(merchant, "prueba", []);
        Assert.Contains("actívalo en la configuración del Portal de pagos", added.Text);
        long sandboxId;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            sandboxId = (await scope.Db.PaymentMethods.SingleAsync()).Id;
        }

        var saved = await merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?>
        {
            ["Input.Name"] = "Paga tus cuentas a Librería Configurada",
            ["Input.IssuerEmail"] = "cobranza@libreria.cl",
            ["Input.EnabledMethodIds"] = sandboxId.ToString(),
        });
        Assert.Contains("Configuración del Portal de pagos guardada.", saved.Text);
        Assert.Contains("Paga tus cuentas a Librería Configurada", saved.Text);
        Assert.Contains("cobranza@libreria.cl", saved.Text);
        Assert.Contains("Pasarela de prueba", saved.Text);
        Assert.Contains("Paga tus cuentas a Librería Configurada", (await factory.CreateAppClient().GetAsync(new Uri(link).PathAndQuery)).Text);

        // Deactivating the method takes it out of the portal.
        var methods = await merchant.Client.GetAsync("/configuracion/medios-de-pago");
        await merchant.Client.SubmitAsync(methods, new Dictionary<string, string?>(), button: "form[action*='handler=Toggle'] button");
        await using var check = factory.ScopeFor(merchant.CompanyId);
        var method = await check.Db.PaymentMethods.SingleAsync();
        Assert.False(method.IsActive);
        Assert.False(method.EnabledInPortal);
    }

    [Fact]
    public async Task Bad_settings_are_refused_at_their_fields_and_nothing_is_saved()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await ContractAsync(merchant);
        await AddMethodAsync(merchant, "prueba", []);
        long otherCompanysMethod;
        var other = await Merchant.SignUpAsync(factory);
        await AddMethodAsync(other, "prueba", []);
        await using (var scope = factory.ScopeFor(other.CompanyId))
        {
            otherCompanysMethod = (await scope.Db.PaymentMethods.SingleAsync()).Id;
        }

        var page = await merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?>
        {
            ["Input.Name"] = "  ",
            ["Input.IssuerEmail"] = "no-es-correo",
            ["Input.EnabledMethodIds"] = otherCompanysMethod.ToString(),
        });
        Assert.Equal("Ingresa el nombre del portal.", page.FieldError("Input.Name"));
        Assert.Contains("correo válido", page.FieldError("Input.IssuerEmail"));
        Assert.Contains("configurados y activos", page.FieldError("Input.EnabledMethodIds"));

        await using var check = factory.ScopeFor(merchant.CompanyId);
        var settings = await check.Db.PortalConfigurations.SingleAsync();
        Assert.StartsWith("Portal de pagos", settings.Name);
        Assert.False((await check.Db.PaymentMethods.SingleAsync()).EnabledInPortal);
    }

    [Fact]
    public async Task Malformed_credentials_are_explained_per_provider()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var webpay = await AddMethodAsync(merchant, "webpay", new() { ["CommerceCode"] = "1234", ["ApiKeySecret"] = "corta", ["Environment"] = "luna" });
        Assert.Contains("12 dígitos", webpay.FieldError("Fields[CommerceCode]") ?? webpay.Text);
        Assert.Contains("entre 32 y 128", webpay.Text);
        Assert.Contains("Elige integración o producción.", webpay.Text);

        var mp = await AddMethodAsync(merchant, "mercadopago", new() { ["AccessToken"] = "abc", ["WebhookSecret"] = "" });
        Assert.Contains("APP_USR-", mp.Text);
        Assert.Contains("Ingresa clave secreta de webhooks.", mp.Text);

        var stripe = await AddMethodAsync(merchant, "stripe", new() { ["SecretKey"] = "pk_test_123", ["WebhookSecret"] = "secret" });
        Assert.Contains("sk_live_", stripe.Text);
        Assert.Contains("whsec_", stripe.Text);

        var transfer = await AddMethodAsync(merchant, "transferencia", new()
        {
            ["Bank"] = "Banco Inventado", ["AccountType"] = "Cuenta corriente", ["AccountNumber"] = "12", ["Holder"] = "Ana", ["HolderRut"] = "1-1", ["Email"] = "x",
        });
        Assert.Contains("Elige el banco.", transfer.Text);
        Assert.Contains("entre 4 y 20 dígitos", transfer.Text);
        Assert.Contains("dígito verificador", transfer.Text);

        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Empty(await check.Db.PaymentMethods.ToListAsync());
    }

    [Fact]
    public async Task Secrets_are_encrypted_at_rest_masked_on_screen_and_absent_from_logs()
    {
        const string stripeKey = "sk_test_51QxAbonoSecretKeyValue9876";
        const string webhookSecret = "whsec_AbonoWebhookSigningSecret1234";
        var merchant = await Merchant.SignUpAsync(factory);
        var saved = await AddMethodAsync(merchant, "stripe", new() { ["SecretKey"] = stripeKey, ["WebhookSecret"] = webhookSecret });
        Assert.DoesNotContain(stripeKey, saved.Html);

        long id;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            var method = await scope.Db.PaymentMethods.SingleAsync();
            id = method.Id;
            Assert.Equal(GatewayKind.Stripe, method.Kind);
            var secrets = scope.Get<PaymentMethodSecrets>().Secrets(method);
            Assert.Equal(stripeKey, secrets["SecretKey"]);

            // The raw row, read without EF: no column holds either secret.
            var connection = scope.Db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM \"PaymentMethods\"";
            await using var reader = await command.ExecuteReaderAsync();
            var raw = new List<string>();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    raw.Add(Convert.ToString(reader.GetValue(i)) ?? "");
                }
            }
            Assert.NotEmpty(raw);
            Assert.DoesNotContain(raw, v => v.Contains(stripeKey) || v.Contains(webhookSecret) || v.Contains("AbonoSecretKey"));
        }

        var edit = await merchant.Client.GetAsync($"/configuracion/medios-de-pago/{id}");
        Assert.DoesNotContain(stripeKey, edit.Html);
        Assert.Contains("••••9876", edit.Text);

        // Saving again with the secret fields empty keeps the stored secrets.
        await merchant.Client.SubmitAsync(edit, new Dictionary<string, string?>());
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal(stripeKey, scope.Get<PaymentMethodSecrets>().Secrets(await scope.Db.PaymentMethods.SingleAsync())["SecretKey"]);
        }

        var tested = await merchant.Client.SubmitAsync(await merchant.Client.GetAsync("/configuracion/medios-de-pago"),
            new Dictionary<string, string?>(), button: "form[action*='handler=Test'] button");
        Assert.Contains("No se pudo conectar con Stripe", tested.Text);

        Assert.NotEmpty(factory.Logs.Lines);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(stripeKey) || line.Contains(webhookSecret));
    }

    [Fact]
    public async Task The_sandbox_connection_test_answers_in_process()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await AddMethodAsync(merchant, "prueba", []);
        var tested = await merchant.Client.SubmitAsync(await merchant.Client.GetAsync("/configuracion/medios-de-pago"),
            new Dictionary<string, string?>(), button: "form[action*='handler=Test'] button");
        Assert.Contains("La pasarela de prueba está disponible", tested.Text);
    }

    [Fact]
    public async Task A_method_added_from_the_portal_panels_Agregar_comes_back_switched_on_in_the_panel()
    {
        var merchant = await Merchant.SignUpAsync(factory, "Librería Agregar SpA");
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        var panel = await merchant.Client.GetAsync("/configuracion/portal-de-pagos/editar");
        var agregar = panel.Document.QuerySelector("a[href*='/configuracion/medios-de-pago?volver=']")!.GetAttribute("href")!;
        var methods = await merchant.Client.GetAsync(agregar);
        var configure = methods.Document.QuerySelector("a[href*='/configuracion/medios-de-pago/nuevo/prueba']")!.GetAttribute("href")!;
        var back = await merchant.Client.FillAsync(configure, new Dictionary<string, string?>());

        Assert.Equal("/configuracion/portal-de-pagos/editar", back.Url);
        Assert.Contains("Listo: configuraste Pasarela de prueba y ya aparece en tu Portal de pagos.", back.Text);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var method = await scope.Db.PaymentMethods.SingleAsync();
        Assert.True(method.EnabledInPortal);
        Assert.NotNull(back.Document.QuerySelector($"input[name='Input.EnabledMethodIds'][value='{method.Id}'][checked]"));
    }
}
