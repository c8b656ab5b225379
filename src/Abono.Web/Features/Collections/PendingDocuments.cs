using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>
/// A document with a balance, as the portal shows it (InProcess: a checkout holds its "pago en proceso" lock). A ceded
/// or claimed one is listed with <see cref="PayerMessage"/> but is not <see cref="Payable"/>: never selected, totalled
/// or allocated.
/// </summary>
public sealed record PendingDocument(long Id, DocumentType Type, long Folio, DateOnly IssueDate, DateOnly DueDate, long Total, long Balance, bool InProcess,
    string? CededToRut = null, string? CededToName = null, DocumentClaim? Claim = null)
{
    public bool Overdue(DateOnly today) => DueDate < today;

    public bool Collectible => DocumentCollection.IsCollectible(CededToRut, Claim);

    /// <summary>Can be selected and paid now.</summary>
    public bool Payable => Collectible && !InProcess;

    public string? PayerMessage => DocumentCollection.PayerMessage(CededToRut, CededToName, Claim);
}

/// <summary>
/// What a customer owes, oldest due date first. Compiled once: it is the query of the portal's busiest page
/// (bench/load.sh). Global query filters still apply: the tenant is read from the context.
/// </summary>
public static class PendingDocuments
{
    public static readonly Func<AbonoDbContext, long, IAsyncEnumerable<PendingDocument>> OfCustomer =
        EF.CompileAsyncQuery((AbonoDbContext db, long customerId) =>
            db.Documents.AsNoTracking()
                .Where(d => d.CustomerId == customerId && d.Balance > 0 && d.Type != DocumentType.NotaCredito)
                .OrderBy(d => d.DueDate).ThenBy(d => d.Id)
                .Select(d => new PendingDocument(d.Id, d.Type, d.Folio, d.IssueDate, d.DueDate, d.Total, d.Balance,
                    db.DocumentPaymentLocks.Any(l => l.DocumentId == d.Id), d.CededToRut, d.CededToName, d.Claim)));

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }
        return list;
    }
}
