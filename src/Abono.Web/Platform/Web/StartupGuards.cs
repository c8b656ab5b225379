using Abono.Web.Gateways;
using Microsoft.Extensions.Options;

namespace Abono.Web.Platform.Web;

/// <summary>Production must not run with the test gateway, demo data, a fake provider host or without outgoing mail.</summary>
public static class StartupGuards
{
    public static void EnsureSafeForProduction(this WebApplication app)
    {
        if (!app.Environment.IsProduction())
        {
            return;
        }
        var problems = new List<string>();
        if (!string.Equals(app.Configuration["Platform:Gateway"], "Webpay", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(app.Configuration["Platform:Gateway"], "MercadoPago", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(app.Configuration["Platform:Gateway"], "Stripe", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("Platform:Gateway must be a real gateway (Webpay, MercadoPago or Stripe), not the Sandbox.");
        }
        if (!AppUrls.TryParse(app.Services.GetRequiredService<IOptions<AppOptions>>().Value.BaseUrl, out var baseUrl) || baseUrl.Scheme != "https" || baseUrl.IsLoopback)
        {
            // Return URLs, webhook URLs and emailed links are built from it, never from request headers.
            problems.Add("App:BaseUrl must be the public https:// address of this deployment.");
        }
        if (app.Configuration.GetValue<bool>("Demo:Seed"))
        {
            problems.Add("Demo:Seed must be false.");
        }
        if (string.IsNullOrWhiteSpace(app.Configuration["Smtp:Host"]))
        {
            problems.Add("Smtp:Host must be set.");
        }
        if (!string.Equals(app.Configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("Database:Provider must be Postgres (SQLite is for a single development instance).");
        }
        foreach (var (gateway, url) in app.Services.GetRequiredService<IOptions<GatewaysOptions>>().Value.Overrides())
        {
            // An override exists for the local fakes; in Production it may only point at another HTTPS host.
            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"Gateways:{gateway}:BaseUrl must be an https:// address (or unset) — it points at a local fake.");
            }
        }
        if (app.Configuration.GetValue<bool>(OutboundUrlOptions.AllowPrivateAddressesKey))
        {
            // Sign-up is open: with it on, any company could point a webhook at our own network.
            problems.Add($"{OutboundUrlOptions.AllowPrivateAddressesKey} must be false.");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Abono refuses to start in Production: " + string.Join(" ", problems));
        }
    }
}
