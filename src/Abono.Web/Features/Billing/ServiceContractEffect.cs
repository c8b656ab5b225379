using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Billing;

/// <summary>A confirmed contract payment activates the service, records the paid first invoice and emails the company.</summary>
public sealed class ServiceContractEffect(ILogger<ServiceContractEffect> logger, Platform.Web.AppUrls urls) : IPaymentEffect
{
    public CheckoutPurpose Purpose => CheckoutPurpose.ServiceContract;

    public async Task ApplyAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.SingleAsync(s => s.Id == checkout.SubjectId, ct);
        var addOn = await db.AddOns.AsNoTracking().SingleAsync(a => a.Code == subscription.AddOnCode, ct);
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == checkout.CompanyId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, ChileFormats.TimeZone));

        if (subscription.IsActiveOn(today))
        {
            // Two checkouts for one contract both paid: keep the service as it is and flag the second payment.
            logger.LogWarning("Checkout {CheckoutId} paid an already active subscription {SubscriptionId}; it needs a refund.", checkout.Id, subscription.Id);
            await db.Checkouts.Where(c => c.Id == checkout.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailureReason, "Pago duplicado de un servicio ya activo: requiere reembolso."), ct);
            return;
        }

        subscription.Status = SubscriptionStatus.Active;
        subscription.MonthlyPrice = checkout.Amount;
        subscription.ActivatedAt = now;
        subscription.CurrentPeriodStart = today;
        subscription.NextChargeDate = today.AddMonths(1);
        subscription.CancelledAt = null;
        subscription.EndsOn = null;
        db.PlatformInvoices.Add(new PlatformInvoice
        {
            CompanyId = checkout.CompanyId,
            SubscriptionId = subscription.Id,
            PeriodStart = today,
            PeriodEnd = today.AddMonths(1).AddDays(-1),
            Description = $"{addOn.Name} (servicio adicional)",
            Amount = checkout.Amount,
            PaidByCheckoutId = checkout.Id,
            IssuedAt = now,
        });

        if (addOn.Code == AddOn.PortalDePagos && !await db.PortalConfigurations.AnyAsync(ct))
        {
            db.PortalConfigurations.Add(new PortalConfiguration
            {
                Name = $"Portal de pagos {company.LegalName}",
                IssuerEmail = company.Email,
                PublicCode = TokenFactory.CreatePublicCode(),
                UpdatedAt = now,
            });
        }

        // Abono's own email to its customer: sent as Abono (Smtp:From), in Abono's colours, no Reply-To.
        var isPortal = addOn.Code == AddOn.PortalDePagos;
        var body = new EmailLayout(EmailBrand.Abono, $"Contrataste {addOn.Name}")
            .Paragraph($"Hola {company.LegalName}:\n\nTu pago de {ChileFormats.Clp(checkout.Amount)} fue confirmado y {addOn.Name} ya está activo.")
            .Facts(
            [
                ("Servicio", addOn.Name),
                ("Pagado hoy", ChileFormats.Clp(checkout.Amount)),
                ("Mensualidad", $"{ChileFormats.Clp(subscription.MonthlyPrice)} (servicio adicional en tu factura de Abono)"),
                ("Próximo cobro", ChileFormats.Date(subscription.NextChargeDate.Value)),
            ])
            .Paragraph($"Se cobrará {ChileFormats.Clp(subscription.MonthlyPrice)} al mes como servicio adicional en tu factura de Abono. " +
                $"Próximo cobro: {ChileFormats.Date(subscription.NextChargeDate.Value)}.")
            .Button(isPortal ? "Configurar el portal de pagos" : "Ver mis servicios",
                urls.Absolute(isPortal ? "/configuracion/portal-de-pagos" : "/mi-cuenta"),
                isPortal ? "Configúralo en Configuración → Ver más → Portal de pagos" : "Revisa tus servicios en Mi cuenta");
        db.Outbox.Add(OutboxMessage.Email(company.Id, new EmailMessage(company.Email, $"Contrataste {addOn.Name}", body.Text, HtmlBody: body.Html), now));
    }

    public async Task ApplyAdditionalApprovalAsync(AbonoDbContext db, Checkout checkout, string providerReference, long amount, DateTime now, CancellationToken ct)
    {
        logger.LogWarning("Checkout {CheckoutId} of a service contract got a further approval ({Reference}, {Amount}); it needs a refund.", checkout.Id, providerReference, amount);
        var reason = amount == checkout.Amount
            ? $"Pago adicional {providerReference} de un servicio ya pagado: requiere reembolso."
            : $"La pasarela confirmó un monto distinto al del pago ({Platform.Chile.ChileFormats.Clp(amount)}, {providerReference}): requiere revisión y reembolso.";
        await db.Checkouts.Where(c => c.Id == checkout.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.FailureReason, reason), ct);
    }

    public Task ReleaseAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct) => Task.CompletedTask;

    public Task<string> ResultPathAsync(AbonoDbContext db, Checkout checkout, CancellationToken ct) =>
        Task.FromResult($"/mi-cuenta/servicios/resultado/{checkout.Id}");
}
