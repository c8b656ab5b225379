using Abono.Web.Platform.Chile;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// A business ready for step 3 of the product (docs/product.md): Portal de pagos contracted, Sandbox added and enabled, a customer with
/// valid email and phone, and documents issued to it on crédito.
/// </summary>
public sealed class PortalScenario
{
    public required Merchant Merchant { get; init; }
    public required string Code { get; init; }
    public required long CustomerId { get; init; }
    public required string CustomerRut { get; init; }
    public required List<long> DocumentIds { get; init; }
    public const string CustomerEmail = "pagos@cliente-portal.cl";
    public const string CustomerPhone = "+56961234567";
    public const string IssuerEmail = "cobranza@empresa.cl";

    public AbonoFactory Factory => Merchant.Factory;

    /// <summary>Documents: net 10.000, 20.000, 30.000 (totals 11.900, 23.800, 35.700), due in 10, 20 and 30 days.</summary>
    public static async Task<PortalScenario> CreateAsync(AbonoFactory factory, bool allowPartial = false, int documents = 3)
    {
        var merchant = await Merchant.SignUpAsync(factory, "Distribuidora Portal SpA");
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");
        await merchant.Client.FillAsync("/configuracion/medios-de-pago/nuevo/prueba", new Dictionary<string, string?>());
        long methodId;
        string code;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            methodId = (await scope.Db.PaymentMethods.SingleAsync()).Id;
            code = (await scope.Db.PortalConfigurations.SingleAsync()).PublicCode;
        }
        await merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?>
        {
            ["Input.Name"] = "Paga a Distribuidora Portal",
            ["Input.IssuerEmail"] = IssuerEmail,
            ["Input.EnabledMethodIds"] = methodId.ToString(),
            ["Input.AllowPartialPayments"] = allowPartial ? "true" : "false",
            ["Input.MinimumPartialAmount"] = "5000",
        });

        var rut = Merchant.NewRut(90_000_000);
        var customerId = await merchant.CreateCustomerAsync(rut: rut, name: "Cliente Portal Ltda.", email: CustomerEmail, phone: "9 6123 4567", creditDays: 30);
        var ids = new List<long>();
        var today = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System);
        for (var i = 1; i <= documents; i++)
        {
            var page = await merchant.IssueAsync(33, customerId, [($"Servicio {i}", 1, 10_000 * i)], extra: new Dictionary<string, string?>
            {
                ["Input.DueDate"] = today.AddDays(10 * ((i - 1) % 3 + 1)).ToString("yyyy-MM-dd"),
            });
            ids.Add(Merchant.IdFrom(page));
        }
        return new PortalScenario { Merchant = merchant, Code = code, CustomerId = customerId, CustomerRut = rut, DocumentIds = ids };
    }

    /// <summary>This business as seen through another app instance on the same database.</summary>
    public PortalScenario With(Merchant merchant) =>
        new() { Merchant = merchant, Code = Code, CustomerId = CustomerId, CustomerRut = CustomerRut, DocumentIds = DocumentIds };

    public string FormattedRut => Rut.Parse(CustomerRut).Formatted;

    private async Task<string> MethodIdAsync()
    {
        await using var scope = Factory.ScopeFor(Merchant.CompanyId);
        return (await scope.Db.PaymentMethods.OrderBy(m => m.Id).FirstAsync()).Id.ToString();
    }

    /// <summary>A payer's browser, identified through the company link.</summary>
    public async Task<AppClient> IdentifiedPayerAsync()
    {
        var payer = Factory.CreateAppClient();
        var page = await payer.FillAsync($"/portal/{Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = FormattedRut, ["Input.Contact"] = CustomerEmail,
        });
        Assert.EndsWith("/documentos", page.Url);
        return payer;
    }

    /// <summary>Pay the given documents (all selected when null) and decide at the sandbox ("none": stay there); returns the page reached.</summary>
    public async Task<AppClient.Page> PayAsync(AppClient payer, IEnumerable<long>? documentIds = null, long? amount = null, string decision = "aprobar", long? methodId = null)
    {
        var response = await PostPaymentAsync(payer, documentIds, amount, methodId);
        var sandbox = await payer.FollowAsync(response, $"/portal/{Code}/documentos");
        if (!sandbox.Text.Contains("MODO DE PRUEBA") || decision == "none")
        {
            return sandbox;
        }
        return await payer.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: $"button[value={decision}]");
    }

    /// <summary>Presses Pagar in the portal for the given documents (all when null) with a method; returns the raw answer.</summary>
    public async Task<HttpResponseMessage> PostPaymentAsync(AppClient payer, IEnumerable<long>? documentIds = null, long? amount = null, long? methodId = null)
    {
        var documents = await payer.GetAsync($"/portal/{Code}/documentos");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var id in documentIds ?? DocumentIds)
        {
            fields.Add(new("Input.DocumentIds", id.ToString()));
        }
        // When the page offers no method (nothing payable), forge the POST with the portal's method anyway.
        var method = methodId?.ToString()
            ?? documents.Document.QuerySelector("input[name='Input.PaymentMethodId']")?.GetAttribute("value")
            ?? await MethodIdAsync();
        fields.Add(new("Input.PaymentMethodId", method));
        if (amount is not null)
        {
            fields.Add(new("Input.Amount", amount.ToString()!));
        }
        var token = documents.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        fields.Add(new("__RequestVerificationToken", token));
        return await payer.Http.PostAsync($"/portal/{Code}/documentos", new FormUrlEncodedContent(fields));
    }

    /// <summary>Adds Transferencia bancaria and enables every configured method in the portal; returns the transfer method's id.</summary>
    public async Task<long> EnableTransferAsync()
    {
        await Merchant.Client.FillAsync("/configuracion/medios-de-pago/nuevo/transferencia", new Dictionary<string, string?>
        {
            ["Fields[Bank]"] = "Banco de Chile", ["Fields[AccountType]"] = "Cuenta corriente", ["Fields[AccountNumber]"] = "00-123-45678-09",
            ["Fields[Holder]"] = "Distribuidora Portal SpA", ["Fields[HolderRut]"] = Merchant.NewRut(), ["Fields[Email]"] = "pagos@distribuidora.cl",
        });
        await using var scope = Factory.ScopeFor(Merchant.CompanyId);
        var ids = await scope.Db.PaymentMethods.Select(m => m.Id).ToListAsync();
        var page = await Merchant.Client.GetAsync("/configuracion/portal-de-pagos/editar");
        var fields = ids.Select(id => new KeyValuePair<string, string>("Input.EnabledMethodIds", id.ToString())).ToList();
        var (action, form) = page.FormFields(new Dictionary<string, string?>(), null, "aside form");
        form.RemoveAll(f => f.Key == "Input.EnabledMethodIds");
        form.AddRange(fields);
        await Merchant.Client.Http.PostAsync(action, new FormUrlEncodedContent(form));
        return await scope.Db.PaymentMethods.Where(m => m.Kind == Abono.Web.Gateways.GatewayKind.Transfer).Select(m => m.Id).SingleAsync();
    }
}
