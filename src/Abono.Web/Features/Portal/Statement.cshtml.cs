using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Abono.Web.Features.Portal;

/// <summary>The identified customer's estado de cuenta: open documents with their aging, a period's payments and notas de crédito, as a page or a PDF.</summary>
public sealed class PortalStatementModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock)
    : PortalPageModel(db, tenant, clock)
{
    [BindProperty(SupportsGet = true, Name = "desde")]
    public string? Desde { get; set; }

    [BindProperty(SupportsGet = true, Name = "hasta")]
    public string? Hasta { get; set; }

    public AccountStatement? Statement { get; private set; }

    public AccountStatementView View => new(Statement!, true, Desde, Hasta, PdfUrl);

    public string PdfUrl => $"/portal/{Code}/estado-de-cuenta?handler=Pdf"
        + (Statement?.Period is { } p ? $"&desde={p.FromValue}&hasta={p.ToValue}" : "");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        if (Statement!.Period is null)
        {
            return Page();
        }
        var logo = await PortalSettings.PortalBrand.LogoAsync(Db, Portal!.CompanyId, ct);
        return File(AccountStatementPdf.Render(Statement, Brand!, logo), "application/pdf", AccountStatementPdf.FileName(Statement));
    }

    /// <summary>Only the customer of this browser's portal session: the id comes from the session, never from the request.</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return false;
        }
        var today = Today;
        var errors = new FieldErrors();
        var period = StatementPeriod.Parse(Desde, Hasta, today, errors);
        errors.CopyTo(ModelState);
        Statement = await AccountStatement.LoadAsync(Db, Customer!.Id, today, period, ct);
        return Statement is not null;
    }
}
