using Abono.Web.Data;

namespace Abono.Web.Features.Payments;

/// <summary>
/// What a confirmed payment does to the books, per purpose (activate a service; later, allocate to documents).
/// Runs inside the confirmation transaction, exactly once per checkout.
/// </summary>
public interface IPaymentEffect
{
    CheckoutPurpose Purpose { get; }

    Task ApplyAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct);

    /// <summary>The payment did not happen (rejected, abandoned, expired): undo any reservation.</summary>
    Task ReleaseAsync(AbonoDbContext db, Checkout checkout, DateTime now, CancellationToken ct);
}
