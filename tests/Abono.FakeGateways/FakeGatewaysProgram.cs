namespace Abono.FakeGateways;

/// <summary>
/// Runs the fakes by hand for a local demo:
/// <c>dotnet run --project tests/Abono.FakeGateways -- --urls http://127.0.0.1:5090</c>, then start Abono with
/// Gateways__{Webpay,MercadoPago,Stripe,Khipu}__BaseUrl set to that address, Gateways__Flow__BaseUrl to its /api and
/// Gateways__Fintoc__BaseUrl to its /fintoc (see README).
/// </summary>
public static class FakeGatewaysProgram
{
    public static async Task Main(string[] args)
    {
        var url = args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault() ?? "http://127.0.0.1:5090";
        await using var server = await FakeGatewayServer.StartAsync(url);
        Console.WriteLine($"Fake Webpay, Mercado Pago, Stripe, Khipu, Flow and Fintoc listening on {server.BaseUrl}");
        Console.WriteLine($"  Webpay: commerce code {FakeAccounts.WebpayCommerceCode}, API key secret {FakeAccounts.WebpayApiKeySecret}");
        Console.WriteLine($"  Mercado Pago: access token {FakeAccounts.MercadoPagoAccessToken}, webhook secret {FakeAccounts.MercadoPagoWebhookSecret}");
        Console.WriteLine($"  Stripe: secret key {FakeAccounts.StripeSecretKey}, webhook secret {FakeAccounts.StripeWebhookSecret}");
        Console.WriteLine($"  Stripe sends its webhooks to {FakeAccounts.DefaultStripeWebhookUrl} (set STRIPE_WEBHOOK_URL to change it)");
        Console.WriteLine($"  Khipu: API key {FakeAccounts.KhipuApiKey}, notification secret {FakeAccounts.KhipuNotificationSecret}");
        Console.WriteLine($"  Flow: API key {FakeAccounts.FlowApiKey}, secret key {FakeAccounts.FlowSecretKey} (base URL {server.BaseUrl.ToString().TrimEnd('/')}/api)");
        Console.WriteLine($"  Fintoc: secret key {FakeAccounts.FintocSecretKey}, webhook secret {FakeAccounts.FintocWebhookSecret} (base URL {server.BaseUrl.ToString().TrimEnd('/')}/fintoc)");
        if (Environment.GetEnvironmentVariable("STRIPE_WEBHOOK_URL") is { Length: > 0 } hook)
        {
            server.State.StripeAccounts[FakeAccounts.StripeSecretKey] = new StripeAccount(FakeAccounts.StripeWebhookSecret, hook);
        }
        var done = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
        await done.Task;
    }
}
