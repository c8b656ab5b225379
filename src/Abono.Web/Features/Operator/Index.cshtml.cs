using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Operator;

/// <summary>The platform operator's area: add-on prices and the companies that contracted them (across tenants by design).</summary>
[Authorize(Policy = Policies.Operador)]
public sealed class IndexModel(AbonoDbContext db) : PageModel
{
    public List<AddOn> AddOns { get; private set; } = [];
    public List<Row> Rows { get; private set; } = [];
    public string? PriceCode { get; private set; }
    public string? PriceError { get; private set; }
    public string? PriceAttempt { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostPriceAsync(string code, string? price, CancellationToken ct)
    {
        var addOn = await db.AddOns.SingleOrDefaultAsync(a => a.Code == code, ct);
        if (addOn is null)
        {
            return NotFound();
        }
        if (!long.TryParse(price, out var value) || value <= 0 || value > 100_000_000)
        {
            (PriceCode, PriceError, PriceAttempt) = (code, "Ingresa un precio en pesos, mayor que cero.", price);
            await LoadAsync(ct);
            return Page();
        }
        addOn.MonthlyPrice = value;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"Precio de {addOn.Name} actualizado.";
        return Redirect("/operador");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        AddOns = await db.AddOns.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        Rows = await (from s in db.Subscriptions.IgnoreQueryFilters()
                      join c in db.Companies on s.CompanyId equals c.Id
                      join a in db.AddOns on s.AddOnCode equals a.Code
                      orderby c.LegalName
                      select new Row(c.LegalName, c.Rut, a.Name, s.Status, s.MonthlyPrice == 0 ? a.MonthlyPrice : s.MonthlyPrice, s.NextChargeDate))
            .Take(500).ToListAsync(ct);
    }

    public sealed record Row(string Company, string Rut, string AddOn, SubscriptionStatus Status, long Price, DateOnly? NextCharge);
}
