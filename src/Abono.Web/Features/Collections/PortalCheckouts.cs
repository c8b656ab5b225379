using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

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
        return await PendingDocuments.ToListAsync(PendingDocuments.OfCustomer(db, customerId), ct);
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

    public const string NotCollectibleMessage =
        "Una de las facturas seleccionadas fue cedida o está en revisión por la empresa, y no se puede pagar aquí.";

    public const string InProcessMessage =
        "Uno de los documentos tiene un pago en proceso. Si ya pagaste, en unos minutos quedará registrado; si no, podrás pagarlo cuando la pasarela cierre ese intento.";

    /// <summary>
    /// What pressing Pagar would charge for a selection and a typed amount, by the portal's rules: the whole balance,
    /// or (with abonos parciales) any amount from the minimum up to the balance, spread oldest due date first. The
    /// page, the live total (the Quote handler) and StartAsync all ask this one function, so the button never shows
    /// a figure the server would not charge.
    /// </summary>
    public sealed record PayQuote(long Total, long? Amount, string? Error, List<(PendingDocument Document, long Amount)> Plan)
    {
        public bool IsPartial => Amount is { } a && a < Total;
    }

    public static PayQuote Quote(IReadOnlyCollection<PendingDocument> selected, PortalSettings.PortalConfiguration portal, long? requested)
    {
        if (selected.Any(d => !d.Collectible))
        {
            // Whatever the form posts: a ceded or claimed factura is never charged, totalled or allocated here.
            return new PayQuote(0, null, NotCollectibleMessage, []);
        }
        var total = selected.Sum(d => d.Balance);
        if (selected.Count == 0)
        {
            return new PayQuote(0, null, "Selecciona al menos un documento.", []);
        }
        var amount = requested ?? total;
        if (amount != total)
        {
            if (!portal.AllowPartialPayments)
            {
                return new PayQuote(total, null, $"El monto a pagar debe ser {ChileFormats.Clp(total)}.", []);
            }
            var minimum = Math.Min(portal.MinimumPartialAmount, total);
            if (amount < minimum || amount > total)
            {
                return new PayQuote(total, null, $"Puedes abonar entre {ChileFormats.Clp(minimum)} y {ChileFormats.Clp(total)}.", []);
            }
        }
        return new PayQuote(total, amount, null, Allocate(selected, amount));
    }

    /// <param name="ExpectedAmount">The amount on the Pagar button the payer pressed; when it differs from what the
    /// rules give now, nothing starts and the page shows the new figure (<see cref="StartOutcome.Changed"/>).</param>
    /// <param name="AttemptKey">The rendered form's key: the same form submitted twice gets the same checkout.</param>
    public sealed record StartRequest(long CustomerId, IReadOnlyCollection<long> DocumentIds, long? Amount, long PaymentMethodId,
        long? ExpectedAmount = null, Guid? AttemptKey = null);

    /// <summary>
    /// Started (Checkout + Start), the checkout an earlier submit of the same form started (Existing; Start set while
    /// the payer can still complete it at the provider), a clear refusal (Error), or a total that changed (Changed).
    /// </summary>
    public sealed record StartOutcome(Checkout? Checkout, Gateways.GatewayStart? Start, string? Error, bool Existing = false, PayQuote? Changed = null);

    public async Task<StartOutcome> StartAsync(StartRequest request, CancellationToken ct)
    {
        if (request.AttemptKey is { } key && await FindAttemptAsync(request.CustomerId, key, ct) is { } earlier)
        {
            // The same form again reaches its checkout, but only for the same request: a form restored by the browser
            // and then changed (other documents, amount or method) must not be sent to a checkout for other figures.
            return await SameRequestAsync(earlier, request, ct) ? Existing(earlier) : new StartOutcome(null, null, InProcessMessage);
        }
        var portal = await db.PortalConfigurations.AsNoTracking().SingleAsync(ct);
        var method = await db.PaymentMethods.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == request.PaymentMethodId && m.IsActive && m.EnabledInPortal, ct);
        if (method is null)
        {
            return new StartOutcome(null, null, "Elige un medio de pago disponible.");
        }
        var pending = await PendingAsync(request.CustomerId, ct);
        var selected = pending.Where(d => request.DocumentIds.Contains(d.Id)).ToList();
        if (request.DocumentIds.Count == 0 || selected.Count != request.DocumentIds.Distinct().Count())
        {
            return new StartOutcome(null, null, "Selecciona documentos pendientes de la lista.");
        }
        if (selected.Any(d => !d.Collectible))
        {
            return new StartOutcome(null, null, NotCollectibleMessage);
        }
        if (selected.Any(d => d.InProcess))
        {
            // Perhaps by this very form, sent twice at once: the other request committed after our first look.
            return await InProcessOrSameAttemptAsync(request, ct);
        }
        var quote = Quote(selected, portal, request.Amount);
        if (quote.Amount is not { } amount)
        {
            return new StartOutcome(null, null, quote.Error);
        }
        if (request.AttemptKey is not null && request.ExpectedAmount is null)
        {
            // The portal's form always sends its button's amount; without it we cannot know what the payer saw.
            return new StartOutcome(null, null, $"El total a pagar es {ChileFormats.Clp(amount)}. Revísalo y presiona Pagar nuevamente.", Changed: quote);
        }
        if (request.ExpectedAmount is { } expected && expected != amount)
        {
            return new StartOutcome(null, null, $"El total a pagar es {ChileFormats.Clp(amount)}. Revísalo y presiona Pagar nuevamente.", Changed: quote);
        }
        var plan = Allocate(selected, amount);
        var checkout = new Checkout
        {
            Purpose = CheckoutPurpose.DocumentPayment,
            CustomerId = request.CustomerId,
            Amount = amount,
            Gateway = method.Kind,
            PaymentMethodId = method.Id,
            AttemptKey = request.AttemptKey,
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
                // The same form submitted twice at once: the other request holds the locks; answer with its checkout.
                return await InProcessOrSameAttemptAsync(request, ct);
            }
            await transaction.CommitAsync(ct);
        }

        var (start, error) = await starter.StartAsync(checkout, ct);
        if (start is null && checkout.State == CheckoutState.Failed)
        {
            // The provider refused to create it: nothing exists there that could be paid.
            await db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ExecuteDeleteAsync(ct);
        }
        return new StartOutcome(checkout, start, error);
    }

    private async Task<StartOutcome> InProcessOrSameAttemptAsync(StartRequest request, CancellationToken ct) =>
        request.AttemptKey is { } key && await FindAttemptAsync(request.CustomerId, key, ct) is { } concurrent && await SameRequestAsync(concurrent, request, ct)
            ? Existing(concurrent)
            : new StartOutcome(null, null, InProcessMessage);

    private async Task<bool> SameRequestAsync(Checkout checkout, StartRequest request, CancellationToken ct)
    {
        if (checkout.PaymentMethodId != request.PaymentMethodId || (request.ExpectedAmount is { } shown && shown != checkout.Amount))
        {
            return false;
        }
        var documents = await db.CheckoutDocuments.AsNoTracking().Where(d => d.CheckoutId == checkout.Id).Select(d => d.DocumentId).ToListAsync(ct);
        return documents.ToHashSet().SetEquals(request.DocumentIds);
    }

    /// <summary>The checkout a given form (attempt key) of this customer started, if any.</summary>
    public Task<Checkout?> FindAttemptAsync(long customerId, Guid key, CancellationToken ct) =>
        db.Checkouts.AsNoTracking().FirstOrDefaultAsync(c => c.CustomerId == customerId && c.AttemptKey == key && c.Purpose == CheckoutPurpose.DocumentPayment, ct);

    private StartOutcome Existing(Checkout checkout) =>
        new(checkout, checkout.ResumableStart(clock.GetUtcNow().UtcDateTime), null, Existing: true);

    /// <summary>The customer's portal payments still waiting at the provider that the payer can go back to and complete.</summary>
    public async Task<List<(Checkout Checkout, Gateways.GatewayStart Start)>> ResumableAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.Checkouts.AsNoTracking()
            .Where(c => c.CustomerId == customerId && c.Purpose == CheckoutPurpose.DocumentPayment && c.State == CheckoutState.Pending
                && c.StartJson != null && c.ExpiresAt > now
                // A method switched off since (or a gateway this deployment no longer has) has no page to go back to.
                && db.PaymentMethods.Any(m => m.Id == c.PaymentMethodId && m.IsActive))
            .OrderByDescending(c => c.CreatedAt).Take(5).ToListAsync(ct);
        return open.Select(c => (c, c.ResumableStart(now)!)).Where(x => x.Item2 is not null).ToList();
    }
}
