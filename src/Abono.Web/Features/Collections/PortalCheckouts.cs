using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

public sealed record PendingDocument(long Id, DocumentType Type, long Folio, DateOnly IssueDate, DateOnly DueDate, long Total, long Balance, bool InProcess)
{
    public bool Overdue(DateOnly today) => DueDate < today;
}

/// <summary>
/// What a customer owes and how a portal payment starts: recompute everything on the server, then record the
/// checkout, its documents and one "pago en proceso" lock per document in one transaction (the database refuses a
/// second lock on a document). A lock lives for as long as its checkout can still succeed at the provider: it is
/// removed when the checkout is paid, or when nothing can approve it any more (see PaymentConfirmation), never by
/// the clock alone — a checkout still Unknown after its expiry may yet turn out paid.
/// </summary>
public sealed class PortalCheckouts(AbonoDbContext db, CheckoutStarter starter, TimeProvider clock)
{

    public async Task<List<PendingDocument>> PendingAsync(long customerId, CancellationToken ct)
    {
        return await Portal.PortalQueries.ToListAsync(Portal.PortalQueries.Pending(db, customerId, clock.GetUtcNow().UtcDateTime), ct);
    }

    /// <summary>Oldest due date first: how an amount spreads over the selected documents.</summary>
    public static List<(PendingDocument Document, long Amount)> Allocate(IEnumerable<PendingDocument> selected, long amount)
    {
        var plan = new List<(PendingDocument, long)>();
        foreach (var document in selected.OrderBy(d => d.DueDate).ThenBy(d => d.Id))
        {
            if (amount <= 0)
            {
                break;
            }
            var part = Math.Min(amount, document.Balance);
            plan.Add((document, part));
            amount -= part;
        }
        return plan;
    }

    public const string InProcessMessage =
        "Uno de los documentos tiene un pago en proceso. Si ya pagaste, en unos minutos quedará registrado; si no, podrás pagarlo cuando la pasarela cierre ese intento.";

    public sealed record StartRequest(long CustomerId, IReadOnlyCollection<long> DocumentIds, long? Amount, long PaymentMethodId);

    public async Task<(Checkout? Checkout, Gateways.GatewayStart? Start, string? Error)> StartAsync(StartRequest request, CancellationToken ct)
    {
        var portal = await db.PortalConfigurations.AsNoTracking().SingleAsync(ct);
        var method = await db.PaymentMethods.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == request.PaymentMethodId && m.IsActive && m.EnabledInPortal, ct);
        if (method is null)
        {
            return (null, null, "Elige un medio de pago disponible.");
        }
        var pending = await PendingAsync(request.CustomerId, ct);
        var selected = pending.Where(d => request.DocumentIds.Contains(d.Id)).ToList();
        if (request.DocumentIds.Count == 0 || selected.Count != request.DocumentIds.Distinct().Count())
        {
            return (null, null, "Selecciona documentos pendientes de la lista.");
        }
        if (selected.Any(d => d.InProcess))
        {
            return (null, null, InProcessMessage);
        }
        var total = selected.Sum(d => d.Balance);
        var amount = request.Amount ?? total;
        if (amount != total)
        {
            if (!portal.AllowPartialPayments)
            {
                return (null, null, $"El monto a pagar debe ser {ChileFormats.Clp(total)}.");
            }
            if (amount < Math.Min(portal.MinimumPartialAmount, total) || amount > total)
            {
                return (null, null, $"Puedes abonar entre {ChileFormats.Clp(Math.Min(portal.MinimumPartialAmount, total))} y {ChileFormats.Clp(total)}.");
            }
        }
        var plan = Allocate(selected, amount);
        var checkout = new Checkout
        {
            Purpose = CheckoutPurpose.DocumentPayment,
            CustomerId = request.CustomerId,
            Amount = amount,
            Gateway = method.Kind,
            PaymentMethodId = method.Id,
            Description = plan.Count == 1
                ? $"{plan[0].Document.Type.ShortName()} N° {plan[0].Document.Folio}"
                : $"{plan.Count} documentos",
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            starter.Record(checkout);
            foreach (var (document, part) in plan)
            {
                db.CheckoutDocuments.Add(new CheckoutDocument { CheckoutId = checkout.Id, DocumentId = document.Id, Amount = part });
                // ExpiresAt is the provider's own deadline, shown to the payer; the lock itself ends with the checkout.
                db.DocumentPaymentLocks.Add(new DocumentPaymentLock
                {
                    DocumentId = document.Id, CheckoutId = checkout.Id, ExpiresAt = checkout.ExpiresAt + CheckoutJanitor.ExpiryGrace,
                });
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return (null, null, InProcessMessage);
            }
            await transaction.CommitAsync(ct);
        }

        var (start, error) = await starter.StartAsync(checkout, ct);
        if (start is null && checkout.State == CheckoutState.Failed)
        {
            // The provider refused to create it: nothing exists there that could be paid.
            await db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ExecuteDeleteAsync(ct);
        }
        return (checkout, start, error);
    }
}
