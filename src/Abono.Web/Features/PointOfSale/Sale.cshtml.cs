using Abono.Web.Data;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.Documents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PointOfSale;

/// <summary>Right after a sale: its PDF, the customer's payment link (email, WhatsApp, copy) and Nueva venta.</summary>
public sealed class SaleModel(AbonoDbContext db, CustomerPortalLinks links) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public Document? Document { get; private set; }
    public DocumentPaymentLink? PaymentLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Document = await db.Documents.AsNoTracking()
            .Include(d => d.Customer)
            .Include(d => d.Payments)
            .AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == Id, ct);
        if (Document is null)
        {
            return NotFound();
        }
        if (Document.Origin != DocumentOrigin.PuntoDeVenta)
        {
            return Redirect($"/documentos/{Id}");
        }
        PaymentLink = await links.ForDocumentAsync(Document, $"/punto-de-venta/venta/{Id}", ct);
        return Page();
    }
}
