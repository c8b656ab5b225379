using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Abono.FakeGateways;

/// <summary>
/// Local stand-ins for Transbank Webpay Plus, Mercado Pago and Stripe on one real Kestrel port, following each
/// provider's documented contract (hosts aside): paths, headers, bodies, status codes, error shapes, signatures and
/// the browser pages a payer goes through. State lives in memory; faults can be queued per operation.
/// </summary>
public sealed class FakeGatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGatewayServer(WebApplication app, FakeState state)
    {
        _app = app;
        State = state;
    }

    public FakeState State { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeGatewayServer> StartAsync(string url = "http://127.0.0.1:0", TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var state = new FakeState(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        var server = new FakeGatewayServer(app, state);
        app.Use(async (context, next) =>
        {
            // Faults queued for this operation apply before (or after) the real handler runs.
            var operation = FakeState.OperationOf(context.Request.Method, context.Request.Path) ?? FakeState.RailsOperationOf(context.Request.Method, context.Request.Path);
            if (operation is not null && state.Faults.Take(operation) is { } fault)
            {
                await fault.ApplyAsync(context, next);
                return;
            }
            await next(context);
        });
        WebpayFake.Map(app, state);
        MercadoPagoFake.Map(app, state);
        StripeFake.Map(app, state);
        KhipuFake.Map(app, state);
        FlowFake.Map(app, state);
        FintocFake.Map(app, state);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        state.BaseUrl = server.BaseUrl;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The credentials the fakes accept out of the box (the Webpay pair is Transbank's public integration one).</summary>
public static class FakeAccounts
{
    public const string WebpayCommerceCode = "597055555532";
    public const string WebpayApiKeySecret = "579B532A7440BB0C9079DED94D31EA1615BACEB56610332264630D42D0A36B1C";
    public const string MercadoPagoAccessToken = "TEST-1234567890123456-112900-abcdef0123456789abcdef0123456789-1234567";
    public const string MercadoPagoWebhookSecret = "fakeMercadoPagoWebhookSecret2026";
    public const string StripeSecretKey = "sk_test_51FakeStripeAbonoKey0000000000";
    public const string StripeWebhookSecret = "whsec_FakeStripeAbonoSigningSecret0000";
    public const string DefaultStripeWebhookUrl = "http://localhost:5070/webhooks/stripe/platform";
    public const string KhipuApiKey = "fake-khipu-api-key-0000-1111-2222-333344445555";
    public const string KhipuNotificationSecret = "fakeKhipuNotificationSecret2026";
    public const string FlowApiKey = "1F90971E-8276-4713-97FF-2BLF5091EE3B";
    public const string FlowSecretKey = "fakeFlowSecretKey0123456789abcdef01234567";
    public const string FintocSecretKey = "sk_test_FakeFintocAbonoKey00000000";
    public const string FintocWebhookSecret = "whsec_test_FakeFintocAbonoSigning0000";
    public const string DefaultFintocWebhookUrl = "http://localhost:5070/webhooks/fintoc/platform";
}

public sealed record StripeAccount(string WebhookSecret, string WebhookUrl);

/// <summary>A webhook the fake sent (or would send): exactly the bytes and headers a provider would post.</summary>
public sealed record RecordedWebhook(string Provider, Uri Url, string Body, IReadOnlyDictionary<string, string> Headers, string ContentType = "application/json")
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(Body, System.Text.Encoding.UTF8, ContentType) };
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}

public sealed partial class FakeState(TimeProvider clock)
{
    private long _nextId = 1_000_000_000;

    public TimeProvider Clock { get; } = clock;
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1/");
    public FaultQueue Faults { get; } = new();
    public object Gate { get; } = new();

    public Dictionary<string, string> WebpayAccounts { get; } = new() { [FakeAccounts.WebpayCommerceCode] = FakeAccounts.WebpayApiKeySecret };
    public Dictionary<string, string> MercadoPagoAccounts { get; } = new() { [FakeAccounts.MercadoPagoAccessToken] = FakeAccounts.MercadoPagoWebhookSecret };

    /// <summary>
    /// Mercado Pago access tokens whose payments send no notification at all, as real test credentials do (M1: use
    /// "Simulate" instead). Empty by default, so the fake's test token notifies like a production one.
    /// </summary>
    public HashSet<string> MercadoPagoSilentAccounts { get; } = [];

    /// <summary>
    /// Mercado Pago access tokens whose notifications arrive without x-signature (x-request-id stays): a merchant who
    /// never set the webhook secret in MP's panel, or a delivery to a preference's notification_url. Empty by default.
    /// </summary>
    public HashSet<string> MercadoPagoUnsignedAccounts { get; } = [];

    public Dictionary<string, StripeAccount> StripeAccounts { get; } =
        new() { [FakeAccounts.StripeSecretKey] = new StripeAccount(FakeAccounts.StripeWebhookSecret, FakeAccounts.DefaultStripeWebhookUrl) };

    /// <summary>
    /// The api_version events are stamped with. Real Stripe uses the account's (or the endpoint's) version, which
    /// need not be the one Stripe.net pins (<see cref="StripeFake.ApiVersion"/>, the default here).
    /// </summary>
    public string StripeEventApiVersion { get; set; } = StripeFake.ApiVersion;

    public Dictionary<string, WebpayTransaction> WebpayTransactions { get; } = [];
    public Dictionary<string, MercadoPagoPreference> Preferences { get; } = [];
    public Dictionary<long, MercadoPagoPayment> MercadoPagoPayments { get; } = [];
    public Dictionary<string, StripeSession> StripeSessions { get; } = [];
    public Dictionary<string, (string Fingerprint, int Status, string Body)> StripeIdempotency { get; } = [];
    public Dictionary<string, string> MercadoPagoRefundKeys { get; } = [];

    /// <summary>Every webhook sent, in order. With <see cref="DeliverWebhooks"/> off they are only recorded (tests deliver them).</summary>
    public List<RecordedWebhook> Webhooks { get; } = [];
    public bool DeliverWebhooks { get; set; } = true;

    /// <summary>How webhooks reach the app: real HTTP by default; tests may route them into an in-memory server.</summary>
    public HttpMessageHandler WebhookHandler { get; set; } = new SocketsHttpHandler();

    public long NextId() => Interlocked.Increment(ref _nextId);

    public async Task SendWebhookAsync(RecordedWebhook webhook)
    {
        lock (Gate)
        {
            Webhooks.Add(webhook);
        }
        if (!DeliverWebhooks)
        {
            return;
        }
        try
        {
            using var client = new HttpClient(WebhookHandler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(22) };
            using var response = await client.SendAsync(webhook.ToRequest());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // A provider retries later; the recorded copy lets a test do that.
        }
    }

    public static string? OperationOf(string method, string path) => (method, path) switch
    {
        ("POST", "/rswebpaytransaction/api/webpay/v1.2/transactions") => "webpay.create",
        ("PUT", var p) when p.StartsWith("/rswebpaytransaction/api/webpay/v1.2/transactions/", StringComparison.Ordinal) => "webpay.commit",
        ("GET", var p) when p.StartsWith("/rswebpaytransaction/api/webpay/v1.2/transactions/", StringComparison.Ordinal) => "webpay.status",
        ("POST", var p) when p.StartsWith("/rswebpaytransaction/api/webpay/v1.2/transactions/", StringComparison.Ordinal) && p.EndsWith("/refunds", StringComparison.Ordinal) => "webpay.refund",
        ("POST", "/checkout/preferences") => "mercadopago.preference",
        ("GET", "/v1/payments/search") => "mercadopago.search",
        ("GET", var p) when p.StartsWith("/v1/payments/", StringComparison.Ordinal) => "mercadopago.payment",
        ("POST", var p) when p.StartsWith("/v1/payments/", StringComparison.Ordinal) && p.EndsWith("/refunds", StringComparison.Ordinal) => "mercadopago.refund",
        ("POST", "/v1/checkout/sessions") => "stripe.create",
        ("GET", var p) when p.StartsWith("/v1/checkout/sessions/", StringComparison.Ordinal) => "stripe.session",
        ("POST", "/v1/refunds") => "stripe.refund",
        _ => null,
    };
}

public enum FaultKind
{
    /// <summary>500 with the provider's error body; the operation does not happen.</summary>
    ServerError,

    /// <summary>
    /// No answer: the connection drops at once (no Delay: what a client sees once its timeout gives up, without any
    /// test waiting on a clock), or nothing is answered for <see cref="Fault.Delay"/>. With AfterEffect the
    /// operation happens first.
    /// </summary>
    Timeout,

    /// <summary>200 with a body that is not JSON; with AfterEffect the operation happens first.</summary>
    MalformedJson,
}

public sealed record Fault(FaultKind Kind, bool AfterEffect = false, TimeSpan? Delay = null)
{
    public async Task ApplyAsync(Microsoft.AspNetCore.Http.HttpContext context, Microsoft.AspNetCore.Http.RequestDelegate next)
    {
        if (AfterEffect)
        {
            // Run the real handler into a throwaway body: the provider did the work, the caller never hears about it.
            var original = context.Response.Body;
            context.Response.Body = new MemoryStream();
            await next(context);
            context.Response.Body = original;
            context.Response.Headers.Clear();
        }
        switch (Kind)
        {
            case FaultKind.ServerError:
                context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"error_message\":\"Internal Server Error\",\"message\":\"internal_error\",\"error\":{\"type\":\"api_error\",\"message\":\"An unknown error occurred\"}}");
                break;
            case FaultKind.Timeout when Delay is null:
                context.Abort();
                break;
            case FaultKind.Timeout:
                try
                {
                    await Task.Delay(Delay ?? TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                break;
            case FaultKind.MalformedJson:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"status\": \"AUTHORIZED\", <html>");
                break;
        }
    }
}

/// <summary>Faults waiting for their operation ("webpay.commit", "mercadopago.payment", "stripe.session", ...), used once each.</summary>
public sealed class FaultQueue
{
    private readonly Dictionary<string, Queue<Fault>> _faults = [];

    public void Add(string operation, Fault fault, int times = 1)
    {
        lock (_faults)
        {
            if (!_faults.TryGetValue(operation, out var queue))
            {
                _faults[operation] = queue = new Queue<Fault>();
            }
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    public void Clear()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    public Fault? Take(string operation)
    {
        lock (_faults)
        {
            return _faults.TryGetValue(operation, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
    }
}
