using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>
/// A confirmed portal checkout becomes a Payment allocated to its documents. Each allocation is a guarded update
/// (balance never below zero); whatever finds no balance left — the document was paid meanwhile — is kept as
/// saldo a favor and flagged for refund. Receipts go to the outbox in the same transaction. A further approval of a
/// checkout already paid becomes a payment that is all saldo a favor, shown in En revisión. A document ceded or claimed
/// since the checkout started (<see cref="DocumentCollection"/>) gets nothing either: the provider holds the money, so it
/// is booked as saldo a favor to pass on to the cessionary or refund (<see cref="ReviewReasons"/>). A test payment (the
/// Pasarela de prueba where it moves no balances) pays no document.
/// </summary>
public sealed class DocumentPaymentEffect(Receipts receipts, Webhooks.Webhooks webhooks, Features.Sandbox.SandboxMode sandbox) : IPaymentEffect
{
    public CheckoutPurpose Purpose => CheckoutPurpose.DocumentPayment;

    public async Task ApplyAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct)
    {
        var reference = await db.Checkouts.Where(c => c.Id == checkout.Id).Select(c => c.GatewayReference).SingleAsync(ct);
        var payment = NewPayment(checkout, reference, now);
        if (!payment.IsTest || sandbox.MovesBalances)
        {
            var lines = await db.CheckoutDocuments.AsNoTracking().Where(l => l.CheckoutId == checkout.Id).OrderBy(l => l.Id).ToListAsync(ct);
            foreach (var line in lines)
            {
                var applied = await ApplyToDocumentAsync(db, line.DocumentId, line.Amount, ct);
                if (applied > 0)
                {
                    payment.Allocations.Add(new PaymentAllocation { DocumentId = line.DocumentId, Amount = applied });
                }
            }
            payment.CreditAmount = checkout.Amount - payment.Allocations.Sum(a => a.Amount);
        }
        payment.RefundPending = payment.CreditAmount > 0;
        await db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ExecuteDeleteAsync(ct);
        await BookAsync(db, payment, now, ct);
    }

    public async Task ApplyAdditionalApprovalAsync(AbonoDbContext db, Checkout checkout, string providerReference, DateTime now, CancellationToken ct)
    {
        var payment = NewPayment(checkout, providerReference, now);
        if (!payment.IsTest || sandbox.MovesBalances)
        {
            payment.CreditAmount = checkout.Amount;
            payment.RefundPending = true;
        }
        await BookAsync(db, payment, now, ct);
    }

    /// <summary>A test payment in a deployment where the sandbox moves no balances keeps everything at zero: no allocation, no saldo a favor.</summary>
    private static Payment NewPayment(Checkout checkout, string? reference, DateTime now) => new()
    {
        CustomerId = checkout.CustomerId!.Value,
        CheckoutId = checkout.Id,
        PaidAt = now,
        Method = checkout.Gateway,
        GatewayReference = reference,
        Amount = checkout.Amount,
        IsTest = checkout.Gateway == Gateways.GatewayKind.Sandbox,
    };

    private async Task BookAsync(AbonoDbContext db, Payment payment, DateTime now, CancellationToken ct)
    {
        db.Payments.Add(payment);
        await db.SaveChangesAsync(ct);
        await receipts.QueueAsync(db, payment, now, ct);

        // One read of the endpoints for every event of this payment; without any, nothing more to read or write.
        var endpoints = await Webhooks.Webhooks.ActiveEndpointsAsync(db, ct);
        if (endpoints.Count == 0)
        {
            return;
        }
        await webhooks.QueueAsync(db, endpoints, Webhooks.WebhookEvents.PaymentSucceeded, new
        {
            paymentId = payment.Id, customerId = payment.CustomerId, amount = payment.Amount, currency = "CLP", creditAmount = payment.CreditAmount, test = payment.IsTest,
            method = payment.Method.ToString(), gatewayReference = payment.GatewayReference,
            allocations = payment.Allocations.Select(a => new { documentId = a.DocumentId, amount = a.Amount }),
        }, now, ct);
        var paidIds = payment.Allocations.Select(a => a.DocumentId).ToList();
        var nowPaid = await db.Documents.AsNoTracking().Where(d => paidIds.Contains(d.Id) && d.Balance == 0)
            .Select(d => new { d.Id, d.Type, d.Folio, d.Total }).ToListAsync(ct);
        foreach (var document in nowPaid)
        {
            await webhooks.QueueAsync(db, endpoints, Webhooks.WebhookEvents.DocumentPaid, new
            {
                documentId = document.Id, type = (int)document.Type, folio = document.Folio, total = document.Total, paymentId = payment.Id,
            }, now, ct);
        }
    }

    public async Task<string> ResultPathAsync(AbonoDbContext db, Checkout checkout, CancellationToken ct)
    {
        var code = await db.PortalConfigurations.IgnoreQueryFilters().Where(p => p.CompanyId == checkout.CompanyId)
            .Select(p => p.PublicCode).SingleAsync(ct);
        return $"/portal/{code}/pagos/{checkout.Id}";
    }

    public async Task ReleaseAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct) =>
        await db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ExecuteDeleteAsync(ct);

    /// <summary>
    /// Takes up to <paramref name="amount"/> off the balance without ever going below zero, and nothing off a ceded or
    /// claimed document (the same guarded update checks it, so a cesión committed first always wins); returns what it took.
    /// </summary>
    private static async Task<long> ApplyToDocumentAsync(AbonoDbContext db, long documentId, long amount, CancellationToken ct)
    {
        if (await db.Documents.Where(d => d.Id == documentId && d.Balance >= amount).Where(DocumentCollection.Collectible)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance - amount), ct) == 1)
        {
            return amount;
        }
        // Less is owed than this line pays: take what is left, guarded on the balance we read.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var row = await db.Documents.Where(d => d.Id == documentId).Select(d => new { d.Balance, d.CededToRut, d.Claim }).SingleAsync(ct);
            var balance = row.Balance;
            if (balance <= 0 || !DocumentCollection.IsCollectible(row.CededToRut, row.Claim))
            {
                return 0;
            }
            var part = Math.Min(balance, amount);
            if (await db.Documents.Where(d => d.Id == documentId && d.Balance == balance).Where(DocumentCollection.Collectible)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance - part), ct) == 1)
            {
                return part;
            }
        }
        return 0;
    }
}
