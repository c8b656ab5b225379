using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>Medios de pago: a company's gateways, their encrypted credentials and Probar conexión.</summary>
public static class PaymentMethodsModule
{
    public static IHostApplicationBuilder AddPaymentMethods(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PaymentMethodSecrets>();
        builder.Services.Configure<RazorPagesOptions>(options =>
            options.Conventions.AddPageRoute("/PaymentMethods/Edit", "configuracion/medios-de-pago/nuevo/{kind}"));
        builder.Services.AddStartupTask("switch off methods whose gateway is missing", order: 10, app => app.DisableUnavailablePaymentMethodsAsync());
        return builder;
    }
}
