namespace Abono.Web.Features.CustomerLinks;

/// <summary>A customer's own link to the portal (Enlace de pago específico para un cliente): issue, show again, revoke.</summary>
public static class CustomerLinksModule
{
    public static IHostApplicationBuilder AddCustomerLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CustomerPortalLinks>();
        return builder;
    }
}
