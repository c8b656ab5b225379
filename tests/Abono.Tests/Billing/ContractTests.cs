using System.Net;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Outbox;

namespace Abono.Tests.Billing;

/// <summary>Step 1 of the product (docs/product.md): Mi cuenta → Agregar servicios a mi plan → Contratar → pay through the gateway.</summary>
public class ContractTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private const string ContractUrl = "/mi-cuenta/servicios/contratar/portal-de-pagos";

    /// <summary>Contratar, then at the sandbox press a button; returns the page the browser ends on.</summary>
    private static async Task<AppClient.Page> ContractAndDecideAsync(Merchant merchant, string? decision)
    {
        var confirm = await merchant.Client.GetAsync(ContractUrl);
        Assert.Contains("$9.990", confirm.Document.QuerySelector("[data-testid=contract-price]")!.TextContent);
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        Assert.Contains("MODO DE PRUEBA", sandbox.Text);
        Assert.Contains("$9.990", sandbox.Text);
        if (decision is null)
        {
            return sandbox;
        }
        return await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: $"button[value={decision}]");
    }

    [Fact]
    public async Task Contratar_and_approve_activates_the_service_records_the_paid_invoice_and_queues_an_email()
    {
        var merchant = await Merchant.SignUpAsync(factory, "Ferretería Contratante SpA");
        var cards = await merchant.Client.GetAsync("/mi-cuenta/servicios/agregar");
        Assert.Contains("Portal de pagos", cards.Text);
        Assert.Contains("Beta", cards.Text);

        var result = await ContractAndDecideAsync(merchant, "aprobar");

        Assert.Equal("Succeeded", result.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
        Assert.Contains("¡Listo! Contrataste el Portal de pagos", result.Text);
        var services = await merchant.Client.GetAsync("/mi-cuenta/servicios");
        Assert.Contains("Activo", services.Text);
        Assert.Contains("$9.990 al mes", services.Text);
        Assert.Contains("Portal de pagos (servicio adicional)", services.Text);
        Assert.Contains("Pagada", services.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var subscription = await scope.Db.Subscriptions.SingleAsync();
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(9_990, subscription.MonthlyPrice);
        Assert.Single(await scope.Db.PlatformInvoices.ToListAsync());
        Assert.NotNull(await scope.Db.PortalConfigurations.SingleOrDefaultAsync());
        var email = await scope.Db.Outbox.SingleAsync(m => m.CompanyId == merchant.CompanyId);
        Assert.Equal(OutboxMessage.EmailKind, email.Kind);
        Assert.Contains("Contrataste Portal de pagos", email.Payload);

        var again = await merchant.Client.FillAsync(ContractUrl, new Dictionary<string, string?>());
        Assert.Contains("Ya tienes contratado Portal de pagos.", again.Text);
    }

    [Theory]
    [InlineData("rechazar", "Failed", "rechazó el pago")]
    [InlineData("abandonar", "Cancelled", "Abandonaste el pago")]
    public async Task Reject_or_abandon_activates_nothing(string decision, string state, string reason)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var result = await ContractAndDecideAsync(merchant, decision);

        Assert.Equal(state, result.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
        Assert.Contains(reason, result.Text);
        Assert.Contains("Intentar nuevamente", result.Text);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(SubscriptionStatus.PendingPayment, (await scope.Db.Subscriptions.SingleAsync()).Status);
        Assert.Empty(await scope.Db.PlatformInvoices.ToListAsync());
        Assert.Empty(await scope.Db.PortalConfigurations.ToListAsync());
    }

    [Fact]
    public async Task A_browser_at_the_return_url_without_paying_activates_nothing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await ContractAndDecideAsync(merchant, decision: null);
        Guid checkoutId;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            checkoutId = (await scope.Db.Checkouts.SingleAsync()).Id;
        }

        // Straight to the return URL, with a forged "approved" in the query and the form.
        var forged = await merchant.Client.Http.PostAsync($"/pagos/retorno/{checkoutId}?status=approved&amount=9990",
            new FormUrlEncodedContent([new("status", "approved"), new("token_ws", "x")]));
        var page = await merchant.Client.FollowAsync(forged, $"/pagos/retorno/{checkoutId}");
        Assert.Contains("Tu pago aún no se confirma", page.Text);

        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(CheckoutState.Pending, (await check.Db.Checkouts.SingleAsync()).State);
        Assert.Equal(SubscriptionStatus.PendingPayment, (await check.Db.Subscriptions.SingleAsync()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync($"/pagos/retorno/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Twenty_concurrent_confirmations_of_one_checkout_apply_the_effect_once()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var sandbox = await ContractAndDecideAsync(merchant, decision: null);
        Checkout checkout;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            checkout = await scope.Db.Checkouts.SingleAsync();
        }
        var confirmation = factory.Services.GetRequiredService<PaymentConfirmation>();
        var approved = new GatewayStatus(GatewayOutcome.Approved, checkout.Amount, "CLP", checkout.GatewayReference);

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await confirmation.ApplyAsync(checkout.Id, approved);
        })).ToList();
        start.Release(20);
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(r => r == ConfirmationResult.Applied));
        Assert.Equal(19, results.Count(r => r == ConfirmationResult.AlreadyApplied));
        await using var check = factory.ScopeFor(merchant.CompanyId);
        Assert.Single(await check.Db.PlatformInvoices.ToListAsync());
        Assert.Single(await check.Db.Outbox.Where(m => m.CompanyId == merchant.CompanyId).ToListAsync());
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync()).State);
        _ = sandbox;
    }

    [Fact]
    public async Task A_confirmation_for_a_different_amount_activates_nothing_and_stays_unknown()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await ContractAndDecideAsync(merchant, decision: null);
        Guid id;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            id = (await scope.Db.Checkouts.SingleAsync()).Id;
        }
        var confirmation = factory.Services.GetRequiredService<PaymentConfirmation>();

        Assert.Equal(ConfirmationResult.Mismatch, await confirmation.ApplyAsync(id, new GatewayStatus(GatewayOutcome.Approved, 1, "CLP", "ref")));
        Assert.Equal(ConfirmationResult.Mismatch, await confirmation.ApplyAsync(id, new GatewayStatus(GatewayOutcome.Approved, 9_990, "USD", "ref-usd")));
        // The same approval again: recorded once.
        Assert.Equal(ConfirmationResult.AlreadyApplied, await confirmation.ApplyAsync(id, new GatewayStatus(GatewayOutcome.Approved, 9_990, "USD", "ref-usd")));

        await using var check = factory.ScopeFor(merchant.CompanyId);
        var checkout = await check.Db.Checkouts.SingleAsync();
        Assert.Equal(CheckoutState.Unknown, checkout.State);
        Assert.Contains("monto distinto", checkout.FailureReason);
        Assert.Equal(SubscriptionStatus.PendingPayment, (await check.Db.Subscriptions.SingleAsync()).Status);
        Assert.Equal([("ref", 1L, "CLP"), ("ref-usd", 9_990L, "USD")], (await check.Db.CheckoutApprovals.OrderBy(a => a.Id).ToListAsync())
            .Select(a => (a.ProviderReference, a.Amount, a.Currency)));
        Assert.All(await check.Db.CheckoutApprovals.ToListAsync(), a => Assert.True(a.AmountMismatch && !a.SettledCheckout));
    }

    [Fact]
    public async Task Only_an_administrador_contracts()
    {
        var admin = await Merchant.SignUpAsync(factory);
        var invited = await admin.Client.FillAsync("/mi-cuenta/usuarios", new Dictionary<string, string?>
        {
            ["Input.Email"] = $"v{Guid.NewGuid():N}@x.cl", ["Input.Role"] = "Vendedor",
        });
        var path = new Uri(invited.Document.QuerySelector("[data-testid=invitation-link]")!.GetAttribute("value")!).PathAndQuery;
        var seller = factory.CreateAppClient();
        await seller.FillAsync(path, new Dictionary<string, string?> { ["Input.FullName"] = "V", ["Input.Password"] = "Vende2026" });

        var response = await seller.Http.GetAsync(ContractUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/acceso-denegado", response.Headers.Location!.OriginalString);
    }
}

public class CancelServiceTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Cancelar_servicio_keeps_it_active_until_the_paid_period_ends()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        var services = await merchant.Client.GetAsync("/mi-cuenta/servicios");
        var cancelled = await merchant.Client.SubmitAsync(services, new Dictionary<string, string?>(), button: "form[action*='handler=Cancel'] button");
        Assert.Contains("Servicio cancelado. Seguirá activo hasta el", cancelled.Text);
        Assert.Contains("Cancelado: activo hasta el", cancelled.Text);

        // Still usable during the paid period: settings and the company link work.
        var settings = await merchant.Client.GetAsync("/configuracion/portal-de-pagos");
        var link = settings.Document.QuerySelector("[data-testid=company-link]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateAppClient().GetAsync(new Uri(link).PathAndQuery)).Status);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var subscription = await scope.Db.Subscriptions.SingleAsync();
        Assert.Equal(SubscriptionStatus.Cancelling, subscription.Status);
        Assert.Equal(subscription.NextChargeDate, subscription.EndsOn);
    }
}
