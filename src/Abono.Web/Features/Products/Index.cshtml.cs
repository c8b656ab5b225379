using Abono.Web.Data;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Products;

public sealed class IndexModel(AbonoDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int Pagina { get; set; } = 1;

    public Paged<Product> Results { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Products.AsQueryable();
        var term = Q?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            query = query.Where(p => p.Code.ToLower().Contains(term) || p.Name.ToLower().Contains(term));
        }
        Results = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).ToPagedAsync(Pagina, ct: ct);
    }
}
