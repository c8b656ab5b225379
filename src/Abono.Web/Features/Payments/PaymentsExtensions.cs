using Abono.Web.Features.Billing;
using Abono.Web.Gateways;

namespace Abono.Web.Features.Payments;

public static class PaymentsExtensions
{
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.AddGateways();
        builder.Services.AddScoped<GatewayContexts>();
        builder.Services.AddScoped<CheckoutStarter>();
        builder.Services.AddSingleton<PaymentConfirmation>();
        builder.Services.AddSingleton<IPaymentEffect, ServiceContractEffect>();
        builder.Services.AddSingleton<IPaymentEffect, Collections.DocumentPaymentEffect>();
        builder.Services.AddSingleton<Collections.Receipts>();
        builder.Services.AddScoped<Collections.PortalCheckouts>();
        builder.Services.AddScoped<Platform.Security.LoginThrottle>();
        builder.Services.AddScoped<Portal.VerificationCodes>();
        builder.Services.AddSingleton<Reminders.ReminderJob>();
        builder.Services.AddHostedService<Reminders.ReminderWorker>();
        builder.Services.AddScoped<ContractService>();
        builder.Services.AddSingleton<MonthlyInvoicing>();
        builder.Services.AddSingleton<CheckoutJanitor>();
        builder.Services.AddHostedService<CheckoutJanitorWorker>();
        builder.Services.AddSingleton<Inbox.InboxSignal>();
        builder.Services.AddSingleton<Inbox.InboxProcessor>();
        builder.Services.AddHostedService<Inbox.InboxWorker>();
        builder.Services.AddScoped<Collections.Refunds>();
        builder.Services.AddSingleton<Platform.Jobs.CleanupJob>();
        builder.Services.AddHostedService<Platform.Jobs.CleanupWorker>();
        builder.Services.AddHostedService<MonthlyInvoicingWorker>();
        return builder;
    }
}
