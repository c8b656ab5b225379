using Abono.Web.Features.Account;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

/// <summary>
/// The cesión and claim actions of a factura's detail: Registrar cesión, Deshacer cesión, Marcar como reclamada,
/// Quitar reclamo. Administrators only: each one decides whether the portal may collect the factura.
/// </summary>
public sealed partial class DetailsModel
{
    [BindProperty] public CessionInput Cession { get; set; } = new();
    [BindProperty] public RevertCessionInput Revert { get; set; } = new();
    [BindProperty] public ClaimInput ClaimForm { get; set; } = new();

    public List<DocumentCession> Cessions { get; private set; } = [];
    public bool InClaimWindow { get; private set; }
    public bool MayManage => User.IsInRole(Roles.Administrador);
    public bool IsCedible => Document is { } d && DocumentCessions.IsCedible(d.Type);

    public async Task<IActionResult> OnPostCessionAsync([FromServices] DocumentCessions cessions, CancellationToken ct)
    {
        if (!MayManage)
        {
            return Forbid();
        }
        var errors = new FieldErrors();
        long? amount = null;
        if (!string.IsNullOrWhiteSpace(Cession.Amount))
        {
            if (ChileFormats.TryParsePesos(Cession.Amount, out var parsed))
            {
                amount = parsed;
            }
            else
            {
                errors.Add("Amount", "Escribe el monto en pesos, sin decimales (por ejemplo 150.000).");
            }
        }
        if (Cession.Date is null && !ModelState.ContainsKey("Cession.Date"))
        {
            errors.Add("Date", "Ingresa la fecha de la cesión.");
        }
        if (errors.Any || !ModelState.IsValid || Cession.Date is not { } date)
        {
            errors.CopyTo(ModelState, nameof(Cession));
            return await OnGetAsync(ct);
        }
        var result = await cessions.RecordAsync(Db, Id, null, Cession.Rut ?? "", Cession.Name ?? "", DocumentCessions.FromChileDate(date), amount,
            CessionSource.Manual, Cession.Note, User.Identity?.Name, ct);
        if (result.Outcome == CessionOutcome.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            CopyErrors(result.Errors, nameof(Cession), new() { ["CessionaryRut"] = "Rut", ["CessionaryName"] = "Name", ["CededAt"] = "Date", ["Type"] = "", ["Sequence"] = "" });
            return await OnGetAsync(ct);
        }
        var c = result.Cession!;
        TempData["Flash"] = $"Cesión registrada: la factura ahora es de {c.CessionaryName} ({Rut.Format(c.CessionaryRut)}). El portal ya no la cobra.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostRevertCessionAsync([FromServices] DocumentCessions cessions, CancellationToken ct)
    {
        if (!MayManage)
        {
            return Forbid();
        }
        if (!Revert.Confirm)
        {
            ModelState.AddModelError("Revert.Confirm", "Marca la casilla para confirmar que quieres deshacer la cesión.");
        }
        if (string.IsNullOrWhiteSpace(Revert.Note))
        {
            ModelState.AddModelError("Revert.Note", "Escribe una nota que explique por qué se deshace la cesión.");
        }
        if (!ModelState.IsValid)
        {
            return await OnGetAsync(ct);
        }
        var result = await cessions.RevertAsync(Db, Id, Revert.Note, User.Identity?.Name, ct);
        if (result.Outcome == CessionOutcome.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            CopyErrors(result.Errors, nameof(Revert), []);
            return await OnGetAsync(ct);
        }
        var owner = await Db.Documents.Where(d => d.Id == Id).Select(d => new { d.CededToName, d.CededToRut }).SingleAsync(ct);
        TempData["Flash"] = owner.CededToRut is null
            ? "Cesión deshecha: la factura vuelve a cobrarse en el portal."
            : $"Cesión deshecha: la factura sigue cedida a {owner.CededToName} ({Rut.Format(owner.CededToRut)}) por una cesión anterior.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostClaimAsync([FromServices] DocumentClaims claims, CancellationToken ct)
    {
        if (!MayManage)
        {
            return Forbid();
        }
        if (!ModelState.IsValid)
        {
            return await OnGetAsync(ct);
        }
        var result = await claims.MarkAsync(Db, Id, ClaimForm.Reason, ClaimForm.Note, ct);
        if (result.Outcome == ClaimOutcome.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            CopyErrors(result.Errors, nameof(ClaimForm), new() { ["Type"] = "" });
            return await OnGetAsync(ct);
        }
        TempData["Flash"] = "Factura marcada como reclamada: el portal no la cobra ni la recuerda hasta que quites el reclamo.";
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostResolveClaimAsync(CancellationToken ct)
    {
        if (!MayManage)
        {
            return Forbid();
        }
        var result = await DocumentClaims.ResolveAsync(Db, Id, ct);
        if (result.Outcome == ClaimOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = "Reclamo quitado: la factura vuelve a cobrarse en el portal.";
        return RedirectToPage(new { id = Id });
    }

    private async Task LoadCessionStateAsync(CancellationToken ct)
    {
        Cessions = await DocumentCessions.HistoryAsync(Db, Id, ct);
        if (HttpMethods.IsGet(Request.Method))
        {
            Cession.Date ??= ChileFormats.Today(Clock);
        }
        InClaimWindow = Document is { } d && DocumentClaims.WithinWindow(d.Type, d.IssueDate, d.Claim, ChileFormats.Today(Clock));
    }

    /// <summary>The service's field names onto the form's, so each message sits next to its field.</summary>
    private void CopyErrors(FieldErrors errors, string prefix, Dictionary<string, string> fields)
    {
        foreach (var (field, messages) in errors.All)
        {
            var mapped = fields.GetValueOrDefault(field, field);
            var key = mapped.Length == 0 ? "" : $"{prefix}.{mapped}";
            foreach (var message in messages)
            {
                ModelState.AddModelError(key, message);
            }
        }
    }
}
