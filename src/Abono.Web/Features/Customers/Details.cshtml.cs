using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Customers;

public sealed class DetailsModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int Pagina { get; set; } = 1;

    public Customer? Customer { get; private set; }
    public long Balance { get; private set; }
    public long Overdue { get; private set; }
    public DateOnly Today { get; private set; }
    public Paged<Document> Documents { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);
    public string? DeleteError { get; private set; }
    public List<Collections.Payment> Payments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == Id, ct);
        if (customer is null)
        {
            return NotFound();
        }
        var documents = await db.Documents.CountAsync(d => d.CustomerId == Id, ct);
        if (documents > 0)
        {
            DeleteError = $"No se puede eliminar a {customer.Name}: tiene {documents} documento{(documents == 1 ? "" : "s")} emitido{(documents == 1 ? "" : "s")}. Los documentos emitidos deben conservar a su cliente.";
            await LoadAsync(ct);
            return Page();
        }
        db.Customers.Remove(customer);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"Cliente {customer.Name} eliminado.";
        return Redirect("/clientes");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, ct);
        if (Customer is null)
        {
            return false;
        }
        Today = ChileFormats.Today(clock);
        var owed = db.Documents.Where(d => d.CustomerId == Id && d.Balance > 0);
        Balance = await owed.SumAsync(d => d.Balance, ct);
        Overdue = await owed.Where(d => d.DueDate < Today).SumAsync(d => d.Balance, ct);
        Documents = await db.Documents.AsNoTracking()
            .Where(d => d.CustomerId == Id)
            .OrderByDescending(d => d.IssueDate).ThenByDescending(d => d.Id)
            .ToPagedAsync(Pagina, ct: ct);
        Payments = await db.Payments.AsNoTracking().Where(p => p.CustomerId == Id).OrderByDescending(p => p.PaidAt).Take(20).ToListAsync(ct);
        return true;
    }
}
