using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// One of the identified customer's documents, pending or paid: lines, totals, references and the payments applied,
/// with its PDF. Any other customer's (or company's) id is a plain 404, the same as an id that does not exist.
/// </summary>
public sealed class DocumentDetailModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock) : PortalPageModel(db, tenant, clock)
{
    public Document? Document { get; private set; }

    /// <summary>The document a nota amends (always the same customer's: notas inherit it when issued).</summary>
    public Document? Reference { get; private set; }

    /// <summary>Notas de crédito and débito that amend this document.</summary>
    public List<Document> Notes { get; private set; } = [];
    public List<AppliedPayment> Payments { get; private set; } = [];

    /// <summary>Abono holds the document's DTE XML (imported): the payer may download it as it came.</summary>
    public bool HasXml { get; private set; }

    /// <summary>A checkout holds the document ("pago en proceso"): say so instead of inviting a second payment.</summary>
    public bool InProcess { get; private set; }
    public DateOnly TodayDate => Today;

    public sealed record AppliedPayment(long PaymentId, DateTime PaidAt, GatewayKind Method, long Amount, bool IsTest);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return Refused();
        }
        var documentId = Document!.Id;
        Payments = await (from a in Db.PaymentAllocations
                          join p in Db.Payments on a.PaymentId equals p.Id
                          where a.DocumentId == documentId && p.CustomerId == Customer!.Id
                          orderby p.PaidAt, p.Id
                          select new AppliedPayment(p.Id, p.PaidAt, p.Method, a.Amount, p.IsTest)).ToListAsync(ct);
        InProcess = Document.Balance > 0 && await Db.DocumentPaymentLocks.AnyAsync(l => l.DocumentId == documentId, ct);
        HasXml = await StoredDte.ExistsAsync(Db, documentId, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return Refused();
        }
        var logo = await PortalSettings.PortalBrand.LogoAsync(Db, Portal!.CompanyId, ct);
        // An imported DTE prints as the SII's representation of its own XML (with the timbre); others as our record.
        var pdf = await StoredDte.FindAsync(Db, Document!.Id, ct) is { } xml && StoredDte.Read(xml) is { } dte
            ? DtePdf.Render(Document, dte, Brand!, logo, Today)
            : DocumentPdf.Render(Document, Reference, Notes, Brand!, logo, Today);
        return File(pdf, "application/pdf", DocumentPdf.FileName(Document));
    }

    /// <summary>The DTE XML exactly as the business's invoicing system issued it (404 when Abono has none).</summary>
    public async Task<IActionResult> OnGetXmlAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || await StoredDte.FindAsync(Db, Document!.Id, ct) is not { } xml)
        {
            return Refused();
        }
        return File(xml.Content, StoredDte.ContentType(xml), StoredDte.FileName(Document));
    }

    private async Task<bool> LoadAsync(string rawId, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct) || !PortalIds.TryParse(rawId, out var id))
        {
            return false;
        }
        var customerId = Customer!.Id;
        // The tenant filter keeps other companies out; the customer condition keeps other customers out.
        Document = await Db.Documents.AsNoTracking()
            .Include(d => d.Customer)
            .Include(d => d.Lines)
            .Include(d => d.ReferenceDocument)
            .AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == id && d.CustomerId == customerId, ct);
        if (Document is null)
        {
            return false;
        }
        Reference = Document.ReferenceDocument is { } r && r.CustomerId == customerId ? r : null;
        Notes = await Db.Documents.AsNoTracking()
            .Where(d => d.ReferenceDocumentId == id && d.CustomerId == customerId)
            .OrderBy(d => d.IssueDate).ThenBy(d => d.Id)
            .ToListAsync(ct);
        return true;
    }
}
