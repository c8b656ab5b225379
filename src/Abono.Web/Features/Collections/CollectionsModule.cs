using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Collections;

/// <summary>
/// The books of what customers owe: portal checkouts over documents (with their "pago en proceso" locks), payments
/// allocated to documents, receipts and refunds.
/// </summary>
public static class CollectionsModule
{
    public static IHostApplicationBuilder AddCollections(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPaymentEffect, DocumentPaymentEffect>();
        builder.Services.AddSingleton<Receipts>();
        builder.Services.AddSingleton<Platform.Email.IEmailAttachmentSource, ReceiptPdfSource>();
        builder.Services.AddScoped<PortalCheckouts>();
        builder.Services.AddScoped<Refunds>();
        builder.Services.AddSingleton<ICleanupTask, StaleLocksCleanup>();
        return builder;
    }

    /// <summary>
    /// A safety net (confirmation removes locks itself): "pago en proceso" locks whose checkout is gone or can no longer
    /// succeed — succeeded, or failed/cancelled/expired with no more status checks due.
    /// </summary>
    private sealed class StaleLocksCleanup : ICleanupTask
    {
        public Task<int> DeleteExpiredAsync(AbonoDbContext db, DateTime now, CancellationToken ct) =>
            db.DocumentPaymentLocks.IgnoreQueryFilters()
                .Where(l => !db.Checkouts.IgnoreQueryFilters().Any(c => c.Id == l.CheckoutId)
                    || db.Checkouts.IgnoreQueryFilters().Any(c => c.Id == l.CheckoutId
                        && (c.State == CheckoutState.Succeeded || (c.NextCheckAt == null && (c.State == CheckoutState.Failed
                            || c.State == CheckoutState.Cancelled || c.State == CheckoutState.Expired)))))
                .ExecuteDeleteAsync(ct);
    }
}
