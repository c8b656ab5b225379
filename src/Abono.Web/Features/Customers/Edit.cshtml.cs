using Abono.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Customers;

/// <summary>/clientes/nuevo (id 0, mapped in FeatureExtensions) and /clientes/{id}/editar.</summary>
public sealed class EditModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public CustomerInput Input { get; set; } = new();

    /// <summary>Where to go after saving: a local path, e.g. back to the document being issued.</summary>
    [BindProperty(SupportsGet = true, Name = "volver")]
    public string? Volver { get; set; }

    public bool IsNew => Id == 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (IsNew)
        {
            Input.CreditDays = 30;
            return Page();
        }
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == Id, ct);
        if (customer is null)
        {
            return NotFound();
        }
        Input = CustomerInput.From(customer);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Customer? customer;
        if (IsNew)
        {
            customer = new Customer { Rut = "", Name = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
        }
        else
        {
            customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == Id, ct);
            if (customer is null)
            {
                return NotFound();
            }
        }

        // Binding errors ("treinta" in a number field) stay in ModelState and block the save too.
        var errors = Input.ApplyTo(customer);
        if (!errors.Any && await db.Customers.AnyAsync(c => c.Rut == customer.Rut && c.Id != customer.Id, ct))
        {
            errors.Add(nameof(CustomerInput.Rut), "Ya existe un cliente con ese RUT.");
        }
        errors.CopyTo(ModelState, nameof(Input));
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (IsNew)
        {
            db.Customers.Add(customer);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            ModelState.AddModelError("Input.Rut", "Ya existe un cliente con ese RUT.");
            return Page();
        }
        TempData["Flash"] = IsNew ? $"Cliente {customer.Name} creado." : "Cambios guardados.";
        return Redirect(Url.IsLocalUrl(Volver) ? Volver! : $"/clientes/{customer.Id}");
    }
}
