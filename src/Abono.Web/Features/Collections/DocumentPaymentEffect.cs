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
        var payment = NewPayment(checkout, checkout.GatewayReference, now);
        var paid = new List<Paid>();
        if (!payment.IsTest || sandbox.MovesBalances)
        {
            // The lines and their documents as they are now, in one read: each guarded update below is on the balance
            // read here, so what it leaves is known without reading the documents again (issue #19).
            var lines = await PendingDocuments.ToListAsync(LinesOf(db, checkout.Id), ct);
            // The documents are updated in id order, whatever order the payer chose them in: two confirmations that
            // share documents (a late approval beside a new payment) take their row locks in the same order and wait
            // for each other instead of deadlocking. The receipt keeps the payer's order.
            var applied = new List<(long LineId, Paid Paid)>();
            foreach (var line in lines.OrderBy(l => l.DocumentId).ThenBy(l => l.Id))
            {
                var (part, after) = await ApplyToDocumentAsync(db, line.DocumentId, line.Amount, line.Balance, ct);
                if (part > 0)
                {
                    applied.Add((line.Id, new Paid(new ReceiptLine(line.DocumentId, line.Type, line.Folio, part, after), line.Total)));
                }
            }
            paid.AddRange(applied.OrderBy(a => a.LineId).Select(a => a.Paid));
            payment.CreditAmount = checkout.Amount - paid.Sum(p => p.Line.Applied);
        }
        payment.RefundPending = payment.CreditAmount > 0;
        await db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ExecuteDeleteAsync(ct);
        await BookAsync(db, payment, paid, now, ct);
    }

    public async Task ApplyAdditionalApprovalAsync(AbonoDbContext db, Checkout checkout, string providerReference, long amount, DateTime now, CancellationToken ct)
    {
        var payment = NewPayment(checkout, providerReference, now);
        payment.Amount = amount;
        if (!payment.IsTest || sandbox.MovesBalances)
        {
            payment.CreditAmount = amount;
            payment.RefundPending = true;
        }
        await BookAsync(db, payment, [], now, ct);
    }

    private sealed record Line(long Id, long DocumentId, long Amount, DocumentType Type, long Folio, long Total, long Balance);

    /// <summary>A checkout's lines with their documents now (the tenant's filter applies to the documents); compiled once.</summary>
    private static readonly Func<AbonoDbContext, Guid, IAsyncEnumerable<Line>> LinesOf =
        EF.CompileAsyncQuery((AbonoDbContext db, Guid checkoutId) =>
            from l in db.CheckoutDocuments.AsNoTracking()
            join d in db.Documents.AsNoTracking() on l.DocumentId equals d.Id
            where l.CheckoutId == checkoutId
            orderby l.Id
            select new Line(l.Id, l.DocumentId, l.Amount, d.Type, d.Folio, d.Total, d.Balance));

    /// <summary>What one line took off its document (and what the document owes after it), with the document's total.</summary>
    private sealed record Paid(ReceiptLine Line, long DocumentTotal);

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

    /// <summary>
    /// The payment (saved first: the receipt and the webhooks name its number), then its allocations and the receipt's
    /// outbox rows saved together by the confirmation's last SaveChanges.
    /// </summary>
    private async Task BookAsync(AbonoDbContext db, Payment payment, IReadOnlyList<Paid> paid, DateTime now, CancellationToken ct)
    {
        db.Payments.Add(payment);
        await db.SaveChangesAsync(ct);
        foreach (var p in paid)
        {
            payment.Allocations.Add(new PaymentAllocation { DocumentId = p.Line.DocumentId, Amount = p.Line.Applied });
        }
        await receipts.QueueAsync(db, payment, paid.Select(p => p.Line).ToList(), now, ct);

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
        foreach (var p in paid.Where(p => p.Line.BalanceAfter == 0))
        {
            await webhooks.QueueAsync(db, endpoints, Webhooks.WebhookEvents.DocumentPaid, new
            {
                documentId = p.Line.DocumentId, type = (int)p.Line.Type, folio = p.Line.Folio, total = p.DocumentTotal, paymentId = payment.Id,
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
    /// claimed document (the same guarded update checks it, so a cesión committed first always wins). Each update is
    /// guarded on the balance it read, so it returns what it took and exactly what it left.
    /// </summary>
    private static async Task<(long Applied, long BalanceAfter)> ApplyToDocumentAsync(AbonoDbContext db, long documentId, long amount, long balanceRead,
        CancellationToken ct)
    {
        var balance = balanceRead;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            if (attempt > 0)
            {
                // Someone changed the document since it was read (another payment, a nota, a cesión): read it again.
                var row = await db.Documents.Where(d => d.Id == documentId).Select(d => new { d.Balance, d.CededToRut, d.Claim }).SingleAsync(ct);
                balance = row.Balance;
                if (!DocumentCollection.IsCollectible(row.CededToRut, row.Claim))
                {
                    return (0, balance);
                }
            }
            if (balance <= 0)
            {
                return (0, balance);
            }
            var part = Math.Min(balance, amount);
            var before = balance;
            if (await db.Documents.Where(d => d.Id == documentId && d.Balance == before).Where(DocumentCollection.Collectible)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance - part), ct) == 1)
            {
                return (part, before - part);
            }
        }
        return (0, balance);
    }
}
