using System.Globalization;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Portal.Slices;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The identified customer's pending documents: select, see the total, pay. Every figure on the page comes from
/// <see cref="PortalCheckouts.Quote"/>, the same rules that start the payment:
/// <list type="bullet">
/// <item>"Ver cómo queda" posts and redirects to a plain GET of the selection (?documentos=1,2&amp;monto=…), so
/// reload and back show the same preview and the form always posts to this page's own URL;</item>
/// <item>with JavaScript the total follows the selection and the amount as they change (the Quote handler);</item>
/// <item>Pagar sends the amount its button showed; if the rules now give another figure nothing starts and the page
/// shows the new one;</item>
/// <item>each rendered form carries an attempt key, so submitting it twice (double click, reload) reaches the same
/// checkout, and a payer who came back from the provider can continue the payment in progress.</item>
/// </list>
/// </summary>
public sealed class DocumentsModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, PortalCheckouts checkouts)
    : PortalPageModel(db, tenant, clock)
{
    [BindProperty]
    public PayInput Input { get; set; } = new();

    public List<PendingDocument> Pending { get; private set; } = [];
    public List<PortalQueries.PortalMethod> Methods { get; private set; } = [];
    public List<PortalQueries.RecentPayment> Payments { get; private set; } = [];
    public List<(Checkout Checkout, Gateways.GatewayStart Start)> InProgress { get; private set; } = [];
    public PortalCheckouts.PayQuote Quote { get; private set; } = new(0, null, null, []);

    /// <summary>Shown beside the amount field (the amount typed is outside the rules).</summary>
    public string? AmountError { get; private set; }
    public string? Error { get; private set; }
    public DateOnly TodayDate => Today;

    /// <summary>The layout's part (title, brand, sign-out, antiforgery field), set when the page is rendered.</summary>
    public PortalChrome Chrome { get; private set; } = null!;

    /// <summary>A fresh key for the form rendered now (see the class summary).</summary>
    public Guid NewAttemptKey { get; } = Guid.NewGuid();

    public async Task<IActionResult> OnGetAsync(string? documentos, string? monto, long? medio, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        await LoadAsync(ct);
        var payable = Pending.Where(d => d.Payable).ToList();
        Input.DocumentIds = documentos is null
            ? payable.Select(d => d.Id).ToList()
            : ParseIds(documentos).Where(id => payable.Any(d => d.Id == id)).ToList();
        Input.Amount = Portal!.AllowPartialPayments ? monto : null;
        Input.PaymentMethodId = medio;
        ComputeQuote();
        return Render();
    }

    /// <summary>"Ver cómo queda" / "Actualizar total": the same page as a GET of the selection (reload- and back-safe).</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        return Redirect(PreviewUrl(Input.DocumentIds, Input.Amount, Input.PaymentMethodId));
    }

    /// <summary>The live total for the script: what Pagar would charge for this selection and amount, by the server's rules.</summary>
    public async Task<IActionResult> OnGetQuoteAsync(string? documentos, string? monto, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return StatusCode(StatusCodes.Status401Unauthorized);
        }
        Pending = await checkouts.PendingAsync(Customer!.Id, ct);
        Input.DocumentIds = ParseIds(documentos).ToList();
        Input.Amount = Portal!.AllowPartialPayments ? monto : null;
        ComputeQuote();
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new
        {
            amount = Quote.Amount,
            label = PayLabel,
            total = Quote.Amount is { } a ? ChileFormats.Clp(a) : "—",
            partial = Quote.IsPartial,
            error = AmountError ?? Quote.Error,
            after = Quote.Plan.ToDictionary(p => p.Document.Id.ToString(CultureInfo.InvariantCulture), p => ChileFormats.Clp(p.Document.Balance - p.Amount)),
        });
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        long? amount = null;
        if (Portal!.AllowPartialPayments && !string.IsNullOrWhiteSpace(Input.Amount))
        {
            if (!ChileFormats.TryParsePesos(Input.Amount, out var parsed))
            {
                return await RedisplayAsync(null, ct);
            }
            amount = parsed;
        }
        if (Input.PaymentMethodId is not { } methodId)
        {
            return await RedisplayAsync("Elige un medio de pago.", ct);
        }
        var outcome = await checkouts.StartAsync(
            new PortalCheckouts.StartRequest(Customer!.Id, Input.DocumentIds, amount, methodId, Input.ExpectedAmount, Input.AttemptKey), ct);
        if (outcome.Existing)
        {
            return await ContinueAsync(outcome.Checkout!, ct);
        }
        if (outcome.Start is null)
        {
            return await RedisplayAsync(outcome.Error, ct);
        }
        return ToGateway(outcome.Start);
    }

    /// <summary>"Continuar el pago": back to the provider's page of a payment already started (no second checkout).</summary>
    public async Task<IActionResult> OnPostResumeAsync(Guid checkout, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        var open = await checkouts.ResumableAsync(Customer!.Id, ct);
        return open.FirstOrDefault(o => o.Checkout.Id == checkout) is { Start: { } start }
            ? ToGateway(start)
            : Redirect($"/portal/{Code}/pagos/{checkout}");
    }

    public string PayLabel => Quote.Amount is { } a ? $"Pagar {ChileFormats.Clp(a)}" : "Pagar";

    public string PreviewUrl(IEnumerable<long> ids, string? amount, long? method)
    {
        var query = new List<string> { "documentos=" + string.Join(",", ids.Distinct().Take(500)) };
        if (!string.IsNullOrWhiteSpace(amount))
        {
            query.Add("monto=" + Uri.EscapeDataString(amount.Trim()[..Math.Min(amount.Trim().Length, 20)]));
        }
        if (method is not null)
        {
            query.Add("medio=" + method.Value.ToString(CultureInfo.InvariantCulture));
        }
        return $"/portal/{Code}/documentos?{string.Join("&", query)}#pagar";
    }

    private IActionResult ToGateway(Gateways.GatewayStart start) =>
        start.PostForm ? Partial("~/Features/Payments/GatewayRedirect.cshtml", start) : Redirect(start.Url.ToString());

    /// <summary>
    /// A second submit of a form whose checkout exists: its provider page while it can still be paid there, its
    /// result otherwise. A submit that raced the first one may arrive before the provider answered it: wait briefly.
    /// </summary>
    private async Task<IActionResult> ContinueAsync(Checkout checkout, CancellationToken ct)
    {
        for (var i = 0; i < 20 && checkout.State == CheckoutState.Created; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            checkout = await checkouts.FindAttemptAsync(Customer!.Id, checkout.AttemptKey!.Value, ct) ?? checkout;
        }
        var resumable = checkout.ResumableStart(Clock.GetUtcNow().UtcDateTime);
        return resumable is not null ? ToGateway(resumable) : Redirect($"/portal/{Code}/pagos/{checkout.Id}");
    }

    private async Task<IActionResult> RedisplayAsync(string? error, CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
        ComputeQuote();
        Error = error;
        return Render();
    }

    /// <summary>The page, written by its Razor Slice (Slices/DocumentsPage.cshtml; issue #19 measured the MVC view engine as its largest cost).</summary>
    private SliceResult Render()
    {
        Chrome = PortalChrome.For(this, "Mis documentos pendientes", $"/portal/{Code}/salir");
        return new SliceResult(DocumentsPage.Create(this));
    }

    private void ComputeQuote()
    {
        var selected = Pending.Where(d => d.Payable && Input.DocumentIds.Contains(d.Id)).ToList();
        long? requested = null;
        if (Portal!.AllowPartialPayments && !string.IsNullOrWhiteSpace(Input.Amount))
        {
            if (ChileFormats.TryParsePesos(Input.Amount, out var parsed))
            {
                requested = parsed;
            }
            else
            {
                AmountError = "Escribe el monto en pesos, sin decimales (por ejemplo 150.000).";
                Quote = new PortalCheckouts.PayQuote(selected.Sum(d => d.Balance), null, AmountError, []);
                return;
            }
        }
        Quote = PortalCheckouts.Quote(selected, Portal, requested);
        if (Quote.Error is not null && selected.Count > 0)
        {
            AmountError = Quote.Error;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Pending = await checkouts.PendingAsync(Customer!.Id, ct);
        Methods = await PortalQueries.EnabledMethods(Db).ToListAsync(ct);
        Payments = await PortalQueries.LatestPayments(Db, Customer.Id).ToListAsync(ct);
        if (Pending.Any(d => d.InProcess))
        {
            InProgress = await checkouts.ResumableAsync(Customer.Id, ct);
        }
    }

    private static IEnumerable<long> ParseIds(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(500)
            .Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct();
}

public sealed class PayInput
{
    public List<long> DocumentIds { get; set; } = [];

    /// <summary>As typed ("150.000" is fine); parsed with <see cref="ChileFormats.TryParsePesos"/>.</summary>
    public string? Amount { get; set; }
    public long? PaymentMethodId { get; set; }

    /// <summary>The amount the Pagar button showed when pressed.</summary>
    public long? ExpectedAmount { get; set; }
    public Guid? AttemptKey { get; set; }
}
