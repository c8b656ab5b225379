using Abono.Web.Gateways;

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
        return builder;
    }
}
