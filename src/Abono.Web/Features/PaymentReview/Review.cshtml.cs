using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PaymentReview;

/// <summary>
/// Reportes → Pagos → En revisión: portal payments with no verified answer yet (Unknown: the gateway timed out or
/// answered something that did not match) and refunds the gateway never answered. Abono keeps asking on its own;
/// here a person sees them and can ask the gateway now.
/// </summary>
public sealed class ReviewModel(AbonoDbContext db, GatewayRegistry gateways, GatewayContexts contexts, PaymentConfirmation confirmation, TimeProvider clock,
    ILogger<ReviewModel> logger) : PageModel
{
    public List<Row> Checkouts { get; private set; } = [];
    public List<RefundRow> Refunds { get; private set; } = [];
    public List<CreditRow> Credits { get; private set; } = [];

    /// <summary>Approvals in another currency: nothing could be booked.</summary>
    public List<MismatchRow> Mismatches { get; private set; } = [];

    public sealed record MismatchRow(long Id, Guid CheckoutId, long? CustomerId, string? CustomerName, GatewayKind Gateway, string Reference,
        long Expected, long Approved, string? Currency, DateTime RecordedAt);

    public sealed record CreditRow(long PaymentId, GatewayKind Method, long Credit, DateTime PaidAt, string? CustomerName);

    /// <summary>Credits kept because a document was ceded or claimed while it was being paid, by payment id.</summary>
    public Dictionary<long, string> CreditReasons { get; private set; } = [];
    public string? Message { get; private set; }

    public sealed record Row(Guid Id, long? CustomerId, string? CustomerName, long Amount, GatewayKind Gateway, DateTime CreatedAt, string? Reason, DateTime? NextCheckAt);

    public sealed record RefundRow(long PaymentId, long Amount, DateTime RequestedAt, string RequestedBy, string? Reason);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>The business keeps the money as the customer's saldo a favor instead of refunding it: it leaves this list.</summary>
    public async Task<IActionResult> OnPostKeepAsync(long paymentId, CancellationToken ct)
    {
        if (!User.IsInRole(Account.Roles.Administrador))
        {
            return Forbid();
        }
        if (await db.Payments.Where(p => p.Id == paymentId && p.RefundPending).ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundPending, false), ct) == 0)
        {
            return NotFound();
        }
        Message = $"El pago N° {paymentId} queda como saldo a favor del cliente.";
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Someone looked at an unbooked approval at the provider (refunded it there, or settled it apart): it leaves this list.</summary>
    public async Task<IActionResult> OnPostReviewedAsync(long approvalId, CancellationToken ct)
    {
        if (!User.IsInRole(Account.Roles.Administrador))
        {
            return Forbid();
        }
        var who = User.Identity?.Name ?? "";
        var now = clock.GetUtcNow().UtcDateTime;
        // Marked once; a second press (double click, two tabs) finds it marked and says the same.
        await db.CheckoutApprovals.Where(a => a.Id == approvalId && a.AmountMismatch && a.ReviewedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReviewedAt, now).SetProperty(a => a.ReviewedBy, who), ct);
        if (!await db.CheckoutApprovals.AnyAsync(a => a.Id == approvalId && a.AmountMismatch, ct))
        {
            return NotFound();
        }
        Message = "La aprobación quedó marcada como revisada.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(Guid checkoutId, CancellationToken ct)
    {
        var checkout = await db.Checkouts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == checkoutId && c.State == CheckoutState.Unknown, ct);
        if (checkout is null)
        {
            return NotFound();
        }
        var gateway = gateways.Get(checkout.Gateway);
        GatewayStatus status;
        try
        {
            if (checkout.GatewayReference is null)
            {
                status = new GatewayStatus(GatewayOutcome.Unknown, null, null, null, "La pasarela nunca confirmó haber recibido este pago.");
            }
            else
            {
                var context = await contexts.ForAsync(checkout, ct);
                status = await gateway.QueryStatusAsync(context, checkout.ForGateway(context), ct);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Manual status check of checkout {CheckoutId} got no answer.", checkoutId);
            status = new GatewayStatus(GatewayOutcome.Unknown, null, null, null, "La pasarela no respondió.");
        }
        var result = status.Outcome is GatewayOutcome.Pending or GatewayOutcome.Unknown ? ConfirmationResult.StillPending : await confirmation.ApplyAsync(checkoutId, status, ct);
        Message = (status.Outcome, result) switch
        {
            (GatewayOutcome.Approved, ConfirmationResult.Applied) => $"{checkout.Gateway.Name()} confirmó el pago: quedó registrado y se enviaron los comprobantes.",
            (GatewayOutcome.Approved, ConfirmationResult.Mismatch or ConfirmationResult.AlreadyApplied) when status.Amount is null || string.IsNullOrWhiteSpace(status.Currency) =>
                $"{checkout.Gateway.Name()} confirma un pago, pero sin un monto o una moneda legible: revísalo en la pasarela.",
            (GatewayOutcome.Approved, ConfirmationResult.Mismatch or ConfirmationResult.AlreadyApplied) when !string.Equals(status.Currency?.Trim(), checkout.Currency, StringComparison.OrdinalIgnoreCase) =>
                $"{checkout.Gateway.Name()} informa un pago en otra moneda ({status.Currency?.Trim().ToUpperInvariant()}): quedó en «Aprobaciones que no coinciden con el pago» y este pago sigue sin confirmar.",
            (GatewayOutcome.Approved, ConfirmationResult.Mismatch or ConfirmationResult.AlreadyApplied) when !PaymentConfirmation.Matches(checkout, status) =>
                $"{checkout.Gateway.Name()} informa un pago de {ChileFormats.Clp(status.Amount ?? 0)}, otro monto: quedó como saldo a favor del cliente (en «Pagos con saldo a favor») y este pago sigue sin confirmar.",
            (GatewayOutcome.Approved, ConfirmationResult.AlreadyApplied) => $"{checkout.Gateway.Name()} confirmó el pago, que ya estaba registrado.",
            (GatewayOutcome.Rejected or GatewayOutcome.Cancelled or GatewayOutcome.Expired, _) => $"{checkout.Gateway.Name()} indica que no hubo pago: {status.Reason}",
            _ => $"{checkout.Gateway.Name()} aún no da una respuesta clara: {status.Reason ?? "seguiremos consultando."}",
        };
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Checkouts = await (from c in db.Checkouts
                           join cu in db.Customers on c.CustomerId equals cu.Id into customers
                           from cu in customers.DefaultIfEmpty()
                           where c.State == CheckoutState.Unknown && c.Purpose == CheckoutPurpose.DocumentPayment
                           orderby c.CreatedAt
                           select new Row(c.Id, c.CustomerId, cu.Name, c.Amount, c.Gateway, c.CreatedAt, c.FailureReason, c.NextCheckAt))
            .Take(200).ToListAsync(ct);
        Credits = await (from p in db.Payments
                         join cu in db.Customers on p.CustomerId equals cu.Id
                         where p.RefundPending && p.CreditAmount > 0
                         orderby p.PaidAt
                         select new CreditRow(p.Id, p.Method, p.CreditAmount, p.PaidAt, cu.Name)).Take(200).ToListAsync(ct);
        var creditIds = Credits.Select(c => c.PaymentId).ToList();
        CreditReasons = await ReviewReasons.ForPaymentsAsync(db, creditIds, ct);
        // A credit booked from an approval of another amount (PaymentConfirmation.MismatchAsync).
        var mismatched = await (from p in db.Payments
                                where creditIds.Contains(p.Id)
                                from a in db.CheckoutApprovals.Where(a => a.AmountMismatch && a.CheckoutId == p.CheckoutId && a.ProviderReference == p.GatewayReference)
                                join c in db.Checkouts on a.CheckoutId equals c.Id
                                select new { p.Id, Approved = a.Amount, Expected = c.Amount }).ToListAsync(ct);
        foreach (var m in mismatched)
        {
            var reason = $"la pasarela aprobó {ChileFormats.Clp(m.Approved)} para un pago de {ChileFormats.Clp(m.Expected)} (reembolsa o mantenlo como saldo a favor)";
            CreditReasons[m.Id] = CreditReasons.TryGetValue(m.Id, out var other) ? $"{other}; {reason}" : reason;
        }
        Mismatches = await (from a in db.CheckoutApprovals
                            where a.AmountMismatch && a.ReviewedAt == null
                                && !db.Payments.Any(p => p.CheckoutId == a.CheckoutId && p.GatewayReference == a.ProviderReference)
                            join c in db.Checkouts on a.CheckoutId equals c.Id
                            where c.Purpose == CheckoutPurpose.DocumentPayment
                            join cu in db.Customers on c.CustomerId equals cu.Id into customers
                            from cu in customers.DefaultIfEmpty()
                            orderby a.RecordedAt
                            select new MismatchRow(a.Id, a.CheckoutId, c.CustomerId, cu.Name, c.Gateway, a.ProviderReference, c.Amount, a.Amount, a.Currency, a.RecordedAt))
            .Take(200).ToListAsync(ct);
        Refunds = await db.PaymentRefunds.Where(r => r.State == RefundState.Unknown).OrderBy(r => r.RequestedAt)
            .Select(r => new RefundRow(r.PaymentId, r.Amount, r.RequestedAt, r.RequestedBy, r.Reason)).Take(200).ToListAsync(ct);
    }
}
