using Abono.Web.Data;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

public sealed partial class DetailsModel(AbonoDbContext db, TimeProvider clock, CustomerPortalLinks links) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public Document? Document { get; private set; }
    public List<Document> Notes { get; private set; } = [];
    public List<PaymentLine> PaymentsApplied { get; private set; } = [];

    /// <summary>Enviar link de pago: the customer's portal link, or why this document has none.</summary>
    public DocumentPaymentLink? PaymentLink { get; private set; }

    // For the cesión and claim handlers (Details.Cession.cs): primary-constructor parameters are seen by this part only.
    private AbonoDbContext Db => db;
    private TimeProvider Clock => clock;

    public sealed record PaymentLine(long PaymentId, DateTime PaidAt, Gateways.GatewayKind Method, long Amount);
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadDocumentAsync(ct))
        {
            return NotFound();
        }
        PaymentsApplied = await (from a in db.PaymentAllocations
                                 join p in db.Payments on a.PaymentId equals p.Id
                                 where a.DocumentId == Id
                                 orderby p.PaidAt
                                 select new PaymentLine(p.Id, p.PaidAt, p.Method, a.Amount)).ToListAsync(ct);
        await LoadCessionStateAsync(ct);
        PaymentLink = await links.ForDocumentAsync(Document!, $"/documentos/{Id}", ct);
        return Page();
    }

    /// <summary>The same PDF the payer downloads from the portal, to attach or print from the back office.</summary>
    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!await LoadDocumentAsync(ct))
        {
            return NotFound();
        }
        var d = Document!;
        var brand = await PortalSettings.PortalBrand.LoadAsync(db, d.CompanyId, ct);
        if (brand is null)
        {
            return NotFound();
        }
        var logo = await PortalSettings.PortalBrand.LogoAsync(db, d.CompanyId, ct);
        return File(DocumentPdf.Render(d, d.ReferenceDocument, Notes, brand, logo, Today), "application/pdf", DocumentPdf.FileName(d));
    }

    private async Task<bool> LoadDocumentAsync(CancellationToken ct)
    {
        Document = await db.Documents.AsNoTracking()
            .Include(d => d.Customer)
            .Include(d => d.ReferenceDocument)
            .Include(d => d.Lines)
            .Include(d => d.Payments)
            .AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == Id, ct);
        if (Document is null)
        {
            return false;
        }
        Today = ChileFormats.Today(clock);
        Notes = await db.Documents.AsNoTracking()
            .Where(d => d.ReferenceDocumentId == Id)
            .OrderBy(d => d.IssueDate).ThenBy(d => d.Id)
            .ToListAsync(ct);
        return true;
    }
}
