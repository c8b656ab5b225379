using Abono.Web.Data;

namespace Abono.Web.Features.Payments;

/// <summary>
/// A module's reason for the checkout janitor to leave open checkouts alone: no provider to ask, a person decides
/// (a bank transfer the business has yet to confirm or reject). The ids are composed into the janitor's own query.
/// </summary>
public interface IReconciliationHold
{
    IQueryable<Guid> HeldCheckoutIds(AbonoDbContext db);
}
