using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>Builds the credentials and addresses a gateway call needs: the platform's own method, or a company's.</summary>
public sealed class GatewayContexts(IConfiguration configuration, AbonoDbContext db, PaymentMethods.PaymentMethodSecrets secrets, Platform.Web.AppUrls urls)
{
    public const string PlatformMerchantName = "Abono";

    public GatewayKind PlatformGateway =>
        Enum.TryParse<GatewayKind>(configuration["Platform:Gateway"], ignoreCase: true, out var kind) ? kind : GatewayKind.Sandbox;

    public async Task<GatewayContext> ForAsync(Checkout checkout, CancellationToken ct)
    {
        if (checkout.PaymentMethodId is null)
        {
            return new GatewayContext(urls.BaseUrl, Section("Platform:Settings"), Section("Platform:Secrets"), PlatformMerchantName);
        }
        var method = await db.PaymentMethods.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(m => m.Id == checkout.PaymentMethodId && m.CompanyId == checkout.CompanyId, ct);
        var merchant = await db.PortalConfigurations.IgnoreQueryFilters().Where(p => p.CompanyId == checkout.CompanyId).Select(p => p.Name).SingleOrDefaultAsync(ct)
            ?? await db.Companies.AsNoTracking().Where(c => c.Id == checkout.CompanyId).Select(c => c.LegalName).SingleAsync(ct);
        return new GatewayContext(urls.BaseUrl, secrets.Settings(method), secrets.Secrets(method), merchant, WebhookKeys.ForMethod(method.Id));
    }

    /// <summary>The credentials a webhook posted to /webhooks/{gateway}/{key} must be verified with; null for an unknown key.</summary>
    public async Task<GatewayContext?> ForWebhookAsync(GatewayKind kind, string key, CancellationToken ct)
    {
        if (key == WebhookKeys.Platform)
        {
            return PlatformGateway == kind
                ? new GatewayContext(urls.BaseUrl, Section("Platform:Settings"), Section("Platform:Secrets"), PlatformMerchantName)
                : null;
        }
        if (WebhookKeys.MethodId(key) is not { } id)
        {
            return null;
        }
        var method = await db.PaymentMethods.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.Kind == kind, ct);
        return method is null ? null : new GatewayContext(urls.BaseUrl, secrets.Settings(method), secrets.Secrets(method), PlatformMerchantName, key);
    }

    private Dictionary<string, string> Section(string key) =>
        configuration.GetSection(key).GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!);
}
