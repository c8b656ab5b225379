namespace Abono.FakeGateways;

/// <summary>The fakes' state for the Chilean account-to-account rails: Khipu, Flow and Fintoc.</summary>
public sealed partial class FakeState
{
    /// <summary>Khipu API keys and the secret each account signs its notifications with.</summary>
    public Dictionary<string, string> KhipuAccounts { get; } = new() { [FakeAccounts.KhipuApiKey] = FakeAccounts.KhipuNotificationSecret };

    /// <summary>Flow apiKeys and their secretKeys.</summary>
    public Dictionary<string, string> FlowAccounts { get; } = new() { [FakeAccounts.FlowApiKey] = FakeAccounts.FlowSecretKey };

    /// <summary>Fintoc secret keys and their webhook endpoint (secret and URL, as registered in Fintoc's dashboard).</summary>
    public Dictionary<string, FintocAccount> FintocAccounts { get; } =
        new() { [FakeAccounts.FintocSecretKey] = new FintocAccount(FakeAccounts.FintocWebhookSecret, FakeAccounts.DefaultFintocWebhookUrl) };

    public Dictionary<string, KhipuPayment> KhipuPayments { get; } = [];
    public List<KhipuNotification> KhipuNotifications { get; } = [];
    public Dictionary<string, FlowOrder> FlowOrders { get; } = [];
    public Dictionary<string, FintocSession> FintocSessions { get; } = [];
    public Dictionary<string, (string Fingerprint, int Status, string Body)> FintocIdempotency { get; } = [];

    /// <summary>How long a company payment waits for its apoderados in test mode (Fintoc: about 30 s).</summary>
    public TimeSpan FintocCompanyDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions the app expired through POST /v1/checkout_sessions/{id}/expire.</summary>
    public int FintocExpireCalls { get; set; }

    /// <summary>Sends (and records) a webhook like <see cref="SendWebhookAsync"/>, and says whether the app answered 2xx.</summary>
    public async Task<bool> SendWebhookForAnswerAsync(RecordedWebhook webhook)
    {
        lock (Gate)
        {
            Webhooks.Add(webhook);
        }
        if (!DeliverWebhooks)
        {
            return false;
        }
        try
        {
            using var client = new HttpClient(WebhookHandler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await client.SendAsync(webhook.ToRequest());
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static string? RailsOperationOf(string method, string path) => (method, path) switch
    {
        ("POST", "/v3/payments") => "khipu.create",
        ("POST", var p) when p.StartsWith("/v3/payments/", StringComparison.Ordinal) && p.EndsWith("/refunds", StringComparison.Ordinal) => "khipu.refund",
        ("GET", var p) when p.StartsWith("/v3/payments/", StringComparison.Ordinal) => "khipu.payment",
        ("GET", "/v3/banks") => "khipu.banks",
        ("POST", "/api/payment/create") => "flow.create",
        ("GET", "/api/payment/getStatus") => "flow.status",
        ("GET", "/api/payment/getStatusByCommerceId") => "flow.statusByCommerceId",
        ("POST", "/api/refund/create") => "flow.refund",
        ("POST", "/fintoc/v1/checkout_sessions") => "fintoc.create",
        ("GET", var p) when p.StartsWith("/fintoc/v1/checkout_sessions/", StringComparison.Ordinal) => "fintoc.session",
        ("POST", var p) when p.StartsWith("/fintoc/v1/checkout_sessions/", StringComparison.Ordinal) && p.EndsWith("/expire", StringComparison.Ordinal) => "fintoc.expire",
        ("POST", "/fintoc/v1/refunds") => "fintoc.refund",
        ("GET", "/fintoc/v1/payment_intents") => "fintoc.intents",
        _ => null,
    };
}

public sealed record FintocAccount(string WebhookSecret, string WebhookUrl);
