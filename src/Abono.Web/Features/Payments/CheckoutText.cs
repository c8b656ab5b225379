namespace Abono.Web.Features.Payments;

public static class CheckoutText
{
    public static string State(CheckoutState state) => state switch
    {
        CheckoutState.Created or CheckoutState.Pending => "En proceso",
        CheckoutState.Succeeded => "Confirmado",
        CheckoutState.Failed => "Rechazado",
        CheckoutState.Cancelled => "Abandonado",
        CheckoutState.Expired => "Expirado",
        CheckoutState.Unknown => "Por confirmar",
        _ => state.ToString(),
    };
}
