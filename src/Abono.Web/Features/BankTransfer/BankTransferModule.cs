using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer;

/// <summary>
/// Transferencia bancaria: the payer declares a transfer in the portal (Declare), the business confirms or rejects it
/// (Decide, under Reportes → Pagos → Transferencias), and the "gateway" answer is that decision.
/// </summary>
public static class BankTransferModule
{
    public static IHostApplicationBuilder AddBankTransfer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPaymentGateway, TransferGateway>();
        builder.Services.AddSingleton<IReconciliationHold, DeclaredTransfersHold>();
        // Conciliar cartola: bank statements read, their credits matched and confirmed through the same gateway.
        builder.Services.AddScoped<Cartola.CartolaImport>();
        builder.Services.AddScoped<Cartola.CartolaMatcher>();
        builder.Services.AddScoped<Cartola.CartolaConfirmations>();
        return builder;
    }

    /// <summary>A declared transfer waits for the business's decision (up to a week), not for the janitor's deadline.</summary>
    private sealed class DeclaredTransfersHold : IReconciliationHold
    {
        public IQueryable<Guid> HeldCheckoutIds(AbonoDbContext db) =>
            db.TransferDeclarations.IgnoreQueryFilters().Where(t => t.Status == TransferStatus.Declared).Select(t => t.CheckoutId);
    }
}
