using Abono.Web.Data;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Customers;

/// <summary>Clientes → a customer → Estado de cuenta: on screen, as a PDF, and emailed with the customer's link.</summary>
public sealed class CustomerStatementModel(AbonoDbContext db, CustomerPortalLinks links, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "desde")]
    public string? Desde { get; set; }

    [BindProperty(SupportsGet = true, Name = "hasta")]
    public string? Hasta { get; set; }

    public AccountStatement? Statement { get; private set; }
    public string? EmailError { get; private set; }

    /// <summary>Whether the email can carry the customer's link (the Portal de pagos is contracted and set up).</summary>
    public bool PortalActive { get; private set; }

    public AccountStatementView View => new(Statement!, false, Desde, Hasta, PageUrl("Pdf"));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        if (Statement!.Period is null)
        {
            // A hand-made URL with a bad period: the page says what is wrong instead of a PDF without its payments.
            return Page();
        }
        var (pdf, _) = await RenderPdfAsync(ct);
        return File(pdf, "application/pdf", AccountStatementPdf.FileName(Statement));
    }

    public async Task<IActionResult> OnPostEmailAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        var s = Statement!;
        if (s.Period is null)
        {
            return Page();
        }
        if (s.CustomerEmail is null)
        {
            EmailError = "El cliente no tiene correo registrado. Agrégalo con Editar para enviarle el estado de cuenta.";
            return Page();
        }
        var (pdf, brand) = await RenderPdfAsync(ct);
        // The customer link only exists while the Portal de pagos is active; without it the statement still goes, without a link.
        string? link = null;
        if (PortalActive)
        {
            var (token, _) = await links.CurrentOrNewAsync(Id, ct);
            link = links.Url(token);
        }
        var attachment = new EmailAttachment(AccountStatementPdf.FileName(s), "application/pdf", Convert.ToBase64String(pdf));
        var mail = await BrandedEmail.LoadAsync(db, db.CurrentCompanyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        db.Outbox.Add(OutboxMessage.Email(db.CurrentCompanyId, mail.Message(s.CustomerEmail,
            $"Estado de cuenta al {ChileFormats.Date(s.Today)} · {brand.Name}", StatementEmail.Body(mail, s, link), [attachment]),
            clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"Enviamos el estado de cuenta a {s.CustomerEmail}.";
        return Redirect(PageUrl(null));
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var today = ChileFormats.Today(clock);
        var errors = new FieldErrors();
        var period = StatementPeriod.Parse(Desde, Hasta, today, errors);
        errors.CopyTo(ModelState);
        Statement = await AccountStatement.LoadAsync(db, Id, today, period, ct);
        PortalActive = Statement is not null
            && await Portal.PortalAccess.IsContractedAsync(db, db.CurrentCompanyId, today, ct) && await db.PortalConfigurations.AnyAsync(ct);
        return Statement is not null;
    }

    private async Task<(byte[] Pdf, PortalBrand Brand)> RenderPdfAsync(CancellationToken ct)
    {
        var brand = await PortalBrand.LoadAsync(db, db.CurrentCompanyId, ct) ?? throw new InvalidOperationException("The signed-in company is missing.");
        return (AccountStatementPdf.Render(Statement!, brand, await PortalBrand.LogoAsync(db, db.CurrentCompanyId, ct)), brand);
    }

    /// <summary>This page (or one of its handlers) for the period on screen.</summary>
    public string PageUrl(string? handler)
    {
        var query = new List<string>();
        if (handler is not null)
        {
            query.Add($"handler={handler}");
        }
        if (Statement?.Period is { } p)
        {
            query.Add($"desde={p.FromValue}");
            query.Add($"hasta={p.ToValue}");
        }
        return $"/clientes/{Id}/estado-de-cuenta" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }
}
