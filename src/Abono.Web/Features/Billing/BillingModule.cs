using Abono.Web.Features.Payments;

namespace Abono.Web.Features.Billing;

/// <summary>Abono's own add-ons (the Portal de pagos): contracting them through a checkout, and their monthly invoices.</summary>
public static class BillingModule
{
    public static IHostApplicationBuilder AddBilling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPaymentEffect, ServiceContractEffect>();
        builder.Services.AddScoped<ContractService>();
        builder.Services.AddSingleton<MonthlyInvoicing>();
        builder.Services.AddHostedService<MonthlyInvoicingWorker>();
        return builder;
    }
}
