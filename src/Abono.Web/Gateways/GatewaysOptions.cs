namespace Abono.Web.Gateways;

/// <summary>
/// Configuration section "Gateways": the per-call timeout and, for tests and local runs, where each provider's API is
/// (unset = the provider's real host; Production accepts only https overrides, see StartupGuards).
/// </summary>
public sealed class GatewaysOptions
{
    public const string Section = "Gateways";

    /// <summary>Past it a call's outcome is Unknown and reconciled later.</summary>
    public int TimeoutSeconds { get; set; } = 20;

    public ProviderHost Webpay { get; set; } = new();
    public ProviderHost MercadoPago { get; set; } = new();
    public ProviderHost Stripe { get; set; } = new();
    public ProviderHost Khipu { get; set; } = new();
    public ProviderHost Flow { get; set; } = new();
    public ProviderHost Fintoc { get; set; } = new();

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The providers whose host is overridden, by configuration name.</summary>
    public IEnumerable<(string Provider, string BaseUrl)> Overrides() =>
        new (string Provider, ProviderHost Host)[]
        {
            (nameof(Webpay), Webpay), (nameof(MercadoPago), MercadoPago), (nameof(Stripe), Stripe),
            (nameof(Khipu), Khipu), (nameof(Flow), Flow), (nameof(Fintoc), Fintoc),
        }
            .Where(p => !string.IsNullOrWhiteSpace(p.Host.BaseUrl)).Select(p => (p.Provider, p.Host.BaseUrl!));
}

public sealed class ProviderHost
{
    public string? BaseUrl { get; set; }
}
