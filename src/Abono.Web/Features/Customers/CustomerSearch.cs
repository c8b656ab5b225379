using Abono.Web.Data;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Customers;

/// <summary>"Cliente (RUT o nombre)" filters: a RUT in any format (dots, dash or neither), or part of the name, accents and case aside.</summary>
public static class CustomerSearch
{
    /// <summary>The ids of the matching customers, as a subquery the database runs (IN (SELECT ...)).</summary>
    public static IQueryable<long> MatchingIds(AbonoDbContext db, string term)
    {
        if (Rut.TryParse(term, out var rut))
        {
            var normalized = rut.Normalized;
            return db.Customers.Where(c => c.Rut == normalized).Select(c => c.Id);
        }
        var search = SearchText.Normalize(term);
        return db.Customers.Where(c => c.SearchName.Contains(search)).Select(c => c.Id);
    }
}
