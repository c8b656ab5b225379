namespace Abono.Web.Features.Documents;

/// <summary>Forma de pago of a document. The Crédito part is what the customer owes.</summary>
public enum PaymentForm
{
    Efectivo = 1,
    Tarjeta = 2,
    Transferencia = 3,
    Credito = 4,
}

public static class PaymentForms
{
    public static readonly PaymentForm[] All = Enum.GetValues<PaymentForm>();

    public static string Name(this PaymentForm form) => form switch
    {
        PaymentForm.Efectivo => "Efectivo",
        PaymentForm.Tarjeta => "Tarjeta",
        PaymentForm.Transferencia => "Transferencia",
        PaymentForm.Credito => "Crédito",
        _ => form.ToString(),
    };
}
