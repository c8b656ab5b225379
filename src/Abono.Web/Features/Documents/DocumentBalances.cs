using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>
/// The one guarded update that takes a nota de crédito off a document's balance, for notas issued in Abono
/// (<see cref="DocumentIssuer"/>) and imported ones (Import/DteReferenceApplier) alike: it changes the row only while
/// the balance still covers the amount, so concurrent notas and payments never take it below zero.
/// </summary>
public static class DocumentBalances
{
    /// <summary>True when the balance covered <paramref name="amount"/> and was reduced by it; false changes nothing.</summary>
    public static async Task<bool> TryReduceAsync(AbonoDbContext db, long documentId, long amount, CancellationToken ct) =>
        await db.Documents.Where(d => d.Id == documentId && d.Balance >= amount)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance - amount), ct) == 1;
}
