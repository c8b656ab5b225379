using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>
/// Reembolsar: returns all or part of a payment through its gateway. The amount is first reserved on the payment
/// with a guarded update (RefundedAmount + amount ≤ Amount), so two clicks or two users can never refund more than
/// was paid. Only after the gateway's yes are allocations reversed — saldo a favor first, then documents from the
/// last allocated — balances restored, both parties emailed and payment.refunded queued, in one transaction.
/// </summary>
public sealed class Refunds(AbonoDbContext db, GatewayRegistry gateways, GatewayContexts contexts, TimeProvider clock, Webhooks.Webhooks webhooks, ILogger<Refunds> logger,
    Platform.Web.AppUrls urls)
{
    public sealed record Result(bool Succeeded, string Message);

    public async Task<Result> RefundAsync(long paymentId, long amount, string requestedBy, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, ct);
        if (payment is null)
        {
            return new Result(false, "El pago no existe.");
        }
        var remaining = payment.Amount - payment.RefundedAmount;
        if (!gateways.Has(payment.Method) || !gateways.Get(payment.Method).Capabilities.HasFlag(GatewayCapabilities.Refunds))
        {
            return new Result(false, $"{payment.Method.Name()} no permite reembolsos desde Abono.");
        }
        if (amount <= 0)
        {
            return new Result(false, "Ingresa un monto mayor que cero.");
        }
        if (amount > remaining)
        {
            return new Result(false, $"El monto supera lo que queda por reembolsar ({ChileFormats.Clp(remaining)}).");
        }
        var gateway = gateways.Get(payment.Method);
        if (amount != remaining && !gateway.Capabilities.HasFlag(GatewayCapabilities.PartialRefunds))
        {
            return new Result(false, $"{payment.Method.Name()} solo permite reembolsar el total.");
        }
        var checkout = await db.Checkouts.AsNoTracking().SingleAsync(c => c.Id == payment.CheckoutId, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        // Reserve first: of concurrent requests only those that fit under what was paid get through.
        if (await db.Payments.Where(p => p.Id == paymentId && p.RefundedAmount + amount <= p.Amount)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedAmount, p => p.RefundedAmount + amount), ct) != 1)
        {
            return new Result(false, "Otro reembolso de este pago está en curso o ya se reembolsó; revisa el detalle.");
        }
        var refund = new PaymentRefund { PaymentId = paymentId, Amount = amount, RequestedBy = requestedBy, RequestedAt = now };
        db.PaymentRefunds.Add(refund);
        await db.SaveChangesAsync(ct);

        var context = await contexts.ForAsync(checkout, ct);
        // The provider's payment this one was booked from: the checkout's own for the approval that settled it, another
        // one (another Mercado Pago payment in the same preference, of its own amount) for a further approval.
        var approved = checkout.ForGateway(context) with { GatewayReference = payment.GatewayReference ?? checkout.GatewayReference, Amount = payment.Amount };
        var answer = await gateway.RefundAsync(context, approved, amount, $"abono-refund-{refund.Id}", ct);
        now = clock.GetUtcNow().UtcDateTime;
        switch (answer.Outcome)
        {
            case RefundOutcome.Refused:
                await using (var transaction = await db.Database.BeginTransactionAsync(ct))
                {
                    refund.State = RefundState.Refused;
                    refund.Reason = Cut(answer.Reason);
                    refund.CompletedAt = now;
                    await db.SaveChangesAsync(ct);
                    await db.Payments.Where(p => p.Id == paymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedAmount, p => p.RefundedAmount - amount), ct);
                    await transaction.CommitAsync(ct);
                }
                return new Result(false, answer.Reason ?? "La pasarela rechazó el reembolso.");
            case RefundOutcome.Unknown:
                refund.State = RefundState.Unknown;
                refund.Reason = Cut(answer.Reason);
                await db.SaveChangesAsync(ct);
                return new Result(false, answer.Reason ?? "La pasarela no respondió; revisa el reembolso antes de reintentar.");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Two refunds of one payment may both fit under what was paid; their reversals must not both start from
            // the same allocations (a lost update that restored balances twice, found by the property test on
            // PostgreSQL). Touching the payment row first makes the second wait for the first's commit.
            await db.Payments.Where(p => p.Id == paymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedAmount, p => p.RefundedAmount), ct);
            refund.State = RefundState.Succeeded;
            refund.GatewayReference = Cut(answer.Reference, 100);
            refund.CompletedAt = now;
            var restored = await ReverseAsync(paymentId, amount, ct);
            await db.SaveChangesAsync(ct);
            await QueueNoticesAsync(paymentId, refund, restored, now, ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Payment {PaymentId}: refunded {Amount} through {Gateway}.", paymentId, amount, payment.Method);
        return new Result(true, $"Reembolsamos {ChileFormats.Clp(amount)}. Avisamos por correo al cliente y al emisor.");
    }

    /// <summary>Takes the refund off saldo a favor first, then off allocations from the newest; returns the balances restored per document.</summary>
    private async Task<List<(long DocumentId, long Amount)>> ReverseAsync(long paymentId, long amount, CancellationToken ct)
    {
        var payment = await db.Payments.Include(p => p.Allocations).SingleAsync(p => p.Id == paymentId, ct);
        var left = amount;
        var fromCredit = Math.Min(payment.CreditAmount, left);
        payment.CreditAmount -= fromCredit;
        payment.RefundPending = payment.CreditAmount > 0;
        left -= fromCredit;
        var restored = new List<(long, long)>();
        var parts = new List<(long DocumentId, long Part)>();
        foreach (var allocation in payment.Allocations.OrderByDescending(a => a.Id))
        {
            if (left == 0)
            {
                break;
            }
            var part = Math.Min(allocation.Amount, left);
            allocation.Amount -= part;
            left -= part;
            parts.Add((allocation.DocumentId, part));
            restored.Add((allocation.DocumentId, part));
            if (allocation.Amount == 0)
            {
                db.PaymentAllocations.Remove(allocation);
            }
        }
        // Balances restored in document id order, as confirmations take them: a refund and a confirmation sharing
        // documents lock them in the same order and wait for each other instead of deadlocking.
        foreach (var (documentId, part) in parts.OrderBy(p => p.DocumentId))
        {
            await db.Documents.Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance + part), ct);
        }
        if (payment.RefundedAmount >= payment.Amount)
        {
            payment.Status = PaymentStatus.Refunded;
        }
        return restored;
    }

    private async Task QueueNoticesAsync(long paymentId, PaymentRefund refund, List<(long DocumentId, long Amount)> restored, DateTime now, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, ct);
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == payment.CustomerId, ct);
        var mail = await BrandedEmail.LoadAsync(db, payment.CompanyId, ct) ?? throw new InvalidOperationException("The payment's company is missing.");
        var ids = restored.Select(r => r.DocumentId).ToList();
        var documents = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var subject = $"Reembolso del pago N° {payment.Id} · {mail.Brand.Name}";
        foreach (var to in new[] { mail.IssuerEmail, customer.Email }.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var forEmisor = string.Equals(to, mail.IssuerEmail, StringComparison.OrdinalIgnoreCase);
            var body = mail.Layout($"Reembolso del pago N° {payment.Id}")
                .Paragraph(forEmisor
                    ? $"Reembolsamos {ChileFormats.Clp(refund.Amount)} a {customer.Name}."
                    : $"Hola {customer.Name}: te reembolsamos {ChileFormats.Clp(refund.Amount)} de tu pago N° {payment.Id}.")
                .Facts(
                [
                    ("Comprobante", ReceiptData.FormatReference(payment.Id)),
                    ("Cliente", $"{customer.Name} (RUT {Rut.Format(customer.Rut)})"),
                    ("Fecha", ChileFormats.DateTime(now)),
                    ("Medio de pago", payment.Method.Name()),
                    ("Monto reembolsado", ChileFormats.Clp(refund.Amount)),
                ]);
            if (restored.Count > 0)
            {
                body.Table("Documentos que vuelven a quedar pendientes", [new("Documento"), new("Pendiente", Numeric: true)],
                    restored.Select(r => new EmailRow(
                        $"{documents[r.DocumentId].Type.ShortName()} N° {documents[r.DocumentId].Folio}: vuelve a quedar pendiente {ChileFormats.Clp(r.Amount)}",
                        [$"{documents[r.DocumentId].Type.ShortName()} N° {documents[r.DocumentId].Folio}", ChileFormats.Clp(r.Amount)])));
            }
            body.Paragraph("El dinero vuelve al medio de pago original en los plazos de la pasarela y del banco emisor.");
            if (forEmisor)
            {
                body.Button("Ver el pago en Abono", urls.Absolute($"/reportes/pagos/{payment.Id}"));
            }
            else if (mail.Brand.PublicCode.Length > 0)
            {
                body.Button("Ir al portal de pagos", urls.Absolute($"/portal/{mail.Brand.PublicCode}"), $"Revisa tus documentos en {mail.Brand.Name}");
            }
            db.Outbox.Add(OutboxMessage.Email(payment.CompanyId, mail.Message(to!, subject, body), now));
        }
        await db.SaveChangesAsync(ct);
        await webhooks.QueueAsync(db, Webhooks.WebhookEvents.PaymentRefunded, new
        {
            paymentId = payment.Id, refundId = refund.Id, amount = refund.Amount, currency = "CLP", refundedTotal = payment.RefundedAmount,
            fullyRefunded = payment.Status == PaymentStatus.Refunded, gatewayReference = refund.GatewayReference,
            restored = restored.Select(r => new { documentId = r.DocumentId, amount = r.Amount }),
        }, now, ct);
    }

    private static string? Cut(string? value, int max = 300) => value is null || value.Length <= max ? value : value[..max];
}
