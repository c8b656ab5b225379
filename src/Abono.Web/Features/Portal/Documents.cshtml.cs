using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>The identified customer's pending documents: select, see the total (recomputed here), pay.</summary>
public sealed class DocumentsModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, PortalCheckouts checkouts)
    : PortalPageModel(db, tenant, clock)
{
    [BindProperty]
    public PayInput Input { get; set; } = new();

    public List<PendingDocument> Pending { get; private set; } = [];
    public List<PaymentMethod> Methods { get; private set; } = [];
    public List<Payment> Payments { get; private set; } = [];
    public List<(PendingDocument Document, long Amount)>? Preview { get; private set; }
    public long ToPay { get; private set; }
    public string? Error { get; private set; }
    public DateOnly TodayDate => Today;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        await LoadAsync(ct);
        Input.DocumentIds = Pending.Where(d => !d.InProcess).Select(d => d.Id).ToList();
        ToPay = Pending.Where(d => Input.DocumentIds.Contains(d.Id)).Sum(d => d.Balance);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        await LoadAsync(ct);
        ModelState.Clear();
        var selected = Pending.Where(d => !d.InProcess && Input.DocumentIds.Contains(d.Id)).ToList();
        var total = selected.Sum(d => d.Balance);
        ToPay = Portal!.AllowPartialPayments && Input.Amount is > 0 && Input.Amount < total ? Input.Amount.Value : total;
        if (Portal.AllowPartialPayments)
        {
            Preview = PortalCheckouts.Allocate(selected, ToPay);
            Input.Amount = ToPay;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        if (!ModelState.IsValid || Input.PaymentMethodId is not { } methodId)
        {
            await LoadAsync(ct);
            Error = Input.PaymentMethodId is null ? "Elige un medio de pago." : "Revisa los datos del pago.";
            ToPay = Pending.Where(d => Input.DocumentIds.Contains(d.Id)).Sum(d => d.Balance);
            return Page();
        }
        var (_, start, error) = await checkouts.StartAsync(
            new PortalCheckouts.StartRequest(Customer!.Id, Input.DocumentIds, Portal!.AllowPartialPayments ? Input.Amount : null, methodId), ct);
        if (start is null)
        {
            await LoadAsync(ct);
            Error = error;
            ToPay = Pending.Where(d => !d.InProcess && Input.DocumentIds.Contains(d.Id)).Sum(d => d.Balance);
            return Page();
        }
        return start.PostForm ? Partial("~/Features/Payments/GatewayRedirect.cshtml", start) : Redirect(start.Url.ToString());
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Pending = await checkouts.PendingAsync(Customer!.Id, ct);
        Methods = await PortalQueries.EnabledMethods(Db).ToListAsync(ct);
        Payments = await PortalQueries.LatestPayments(Db, Customer.Id).ToListAsync(ct);
    }
}

public sealed class PayInput
{
    public List<long> DocumentIds { get; set; } = [];
    public long? Amount { get; set; }
    public long? PaymentMethodId { get; set; }
}
