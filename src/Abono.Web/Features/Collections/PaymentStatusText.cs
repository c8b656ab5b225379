namespace Abono.Web.Features.Collections;

public static class PaymentStatusText
{
    public static string Name(this PaymentStatus status) => status switch
    {
        PaymentStatus.Confirmed => "Confirmado",
        PaymentStatus.Refunded => "Reembolsado",
        _ => status.ToString(),
    };
}
