using Abono.Web.Data;

namespace Abono.Web.Features.Payments;

/// <summary>
/// What a confirmed payment does to the books, per purpose (activate a service; allocate to documents).
/// Runs inside the confirmation transaction, exactly once per verified approval.
/// </summary>
public interface IPaymentEffect
{
    CheckoutPurpose Purpose { get; }

    /// <summary>The approval that settled the checkout.</summary>
    Task ApplyAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct);

    /// <summary>
    /// A further, distinct approval of a checkout already settled (the payer paid twice inside one provider attempt),
    /// or one of another amount for a checkout already closed: the provider holds that money too, so it is booked
    /// where a person will see it, never dropped.
    /// </summary>
    /// <param name="amount">What the provider approved (the checkout's amount, but for a mismatch).</param>
    Task ApplyAdditionalApprovalAsync(AbonoDbContext db, Checkout checkout, string providerReference, long amount, DateTime now, CancellationToken ct);

    /// <summary>Nothing can approve the checkout any more (rejected for good, abandoned, expired): undo any reservation.</summary>
    Task ReleaseAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct);

    /// <summary>Where the payer sees how it went, once back from the gateway (a path of this app).</summary>
    Task<string> ResultPathAsync(AbonoDbContext db, Checkout checkout, CancellationToken ct);
}
