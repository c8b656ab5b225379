using Abono.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Products;

/// <summary>/productos/nuevo (id 0) and /productos/{id}/editar.</summary>
public sealed class EditModel(AbonoDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public ProductInput Input { get; set; } = new();

    public bool IsNew => Id == 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (IsNew)
        {
            return Page();
        }
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == Id, ct);
        if (product is null)
        {
            return NotFound();
        }
        Input = ProductInput.From(product);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var product = IsNew ? new Product { Code = "", Name = "" } : await db.Products.SingleOrDefaultAsync(p => p.Id == Id, ct);
        if (product is null)
        {
            return NotFound();
        }
        // Binding errors ("treinta" in a number field) stay in ModelState and block the save too.
        var errors = Input.ApplyTo(product);
        if (!errors.Any && await db.Products.AnyAsync(p => p.Code == product.Code && p.Id != product.Id, ct))
        {
            errors.Add(nameof(ProductInput.Code), "Ya existe un producto con ese código.");
        }
        errors.CopyTo(ModelState, nameof(Input));
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (IsNew)
        {
            db.Products.Add(product);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            ModelState.AddModelError("Input.Code", "Ya existe un producto con ese código.");
            return Page();
        }
        TempData["Flash"] = IsNew ? $"Producto {product.Name} creado." : "Cambios guardados.";
        return Redirect("/productos");
    }
}
