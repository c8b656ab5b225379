using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>
/// Why a confirmed payment kept saldo a favor instead of paying one of its checkout's documents, when the reason is a
/// cesión or a claim that arrived while the payer was at the provider (DocumentPaymentEffect allocates nothing to
/// those). Derived from the cesión history and the claim rather than stored, so no payment row needs a new column:
/// the cesión that stood when the payment was booked names who the money belongs to.
/// </summary>
public static class ReviewReasons
{
    public static async Task<Dictionary<long, string>> ForPaymentsAsync(AbonoDbContext db, IReadOnlyCollection<long> paymentIds, CancellationToken ct)
    {
        if (paymentIds.Count == 0)
        {
            return [];
        }
        var lines = await (from p in db.Payments
                           where paymentIds.Contains(p.Id)
                           join l in db.CheckoutDocuments on p.CheckoutId equals l.CheckoutId
                           where !db.PaymentAllocations.Any(a => a.PaymentId == p.Id && a.DocumentId == l.DocumentId)
                           join d in db.Documents on l.DocumentId equals d.Id
                           orderby p.Id, l.Id
                           select new { PaymentId = p.Id, p.PaidAt, d.Id, d.Type, d.Folio, d.CededToRut, d.CededToName, d.Claim, d.ClaimedAt })
            .AsNoTracking().ToListAsync(ct);
        var documentIds = lines.Select(l => l.Id).Distinct().ToList();
        var cessions = await db.DocumentCessions.AsNoTracking().Where(c => documentIds.Contains(c.DocumentId)).ToListAsync(ct);
        var reasons = new Dictionary<long, string>();
        foreach (var group in lines.GroupBy(l => l.PaymentId))
        {
            var parts = new List<string>();
            foreach (var l in group)
            {
                var owner = cessions
                    .Where(c => c.DocumentId == l.Id && c.RecordedAt <= l.PaidAt && (c.RevertedAt == null || c.RevertedAt > l.PaidAt))
                    .MaxBy(c => c.Sequence);
                var (rut, name) = owner is not null ? (owner.CessionaryRut, owner.CessionaryName) : (l.CededToRut, l.CededToName);
                var label = $"{l.Type.ShortName()} N° {l.Folio}";
                if (rut is not null)
                {
                    parts.Add($"{label}: factura cedida a {name} ({Rut.Format(rut)}) (el dinero debe traspasarse o reembolsarse)");
                }
                else if (l.Claim is not null && l.ClaimedAt <= l.PaidAt)
                {
                    parts.Add($"{label}: factura reclamada (el dinero debe reembolsarse o quedar como saldo a favor)");
                }
            }
            if (parts.Count > 0)
            {
                reasons[group.Key] = string.Join("; ", parts);
            }
        }
        return reasons;
    }
}
