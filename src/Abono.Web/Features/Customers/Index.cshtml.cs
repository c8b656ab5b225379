using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Customers;

public sealed class IndexModel(AbonoDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int Pagina { get; set; } = 1;

    public Paged<CustomerRow> Results { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Customers.AsQueryable();
        var term = Q?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            if (term.Length > 100)
            {
                term = term[..100];
            }
            var lower = term.ToLowerInvariant();
            var search = SearchText.Normalize(term);
            var rutDigits = new string(term.Where(ch => char.IsAsciiDigit(ch) || ch is 'k' or 'K').ToArray()).ToUpperInvariant();
            var exactRut = Rut.TryParse(term, out var rut) ? rut.Normalized : null;
            query = query.Where(c =>
                c.Rut == exactRut
                || (rutDigits.Length >= 3 && c.Rut.Replace("-", "").StartsWith(rutDigits))
                || c.SearchName.Contains(search)
                || (c.Email != null && c.Email.ToLower().Contains(lower)));
        }
        Results = await query
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new CustomerRow(c.Id, c.Rut, c.Name, c.Email, c.Phone,
                db.Documents.Where(d => d.CustomerId == c.Id).Sum(d => d.Balance)))
            .ToPagedAsync(Pagina, ct: ct);
    }

    public sealed record CustomerRow(long Id, string Rut, string Name, string? Email, string? Phone, long Balance);
}
