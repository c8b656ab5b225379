namespace Abono.Web.Features.CustomerLinks;

/// <summary>
/// "Enviar link de pago" for one document, on its detail and right after a sale at Punto de venta: the customer's own
/// portal link (the one /clientes/{id}/portal shares) with its email and WhatsApp shortcuts, or why it is not offered.
/// </summary>
/// <param name="Unavailable">Why there is no link for this document; null when <see cref="Url"/> is offered.</param>
/// <param name="NeedsPortal">The reason is the Portal de pagos (not contracted or not configured): the panel links to it.</param>
/// <param name="ReturnTo">The document's page: the customer-link page comes back here after sending the email.</param>
public sealed record DocumentPaymentLink(string? Unavailable, bool NeedsPortal = false, long? CustomerId = null, string? CustomerName = null,
    string? Email = null, string? Url = null, DateTime? ExpiresAt = null, string? WhatsAppUrl = null, string ReturnTo = "/", bool NeedsLink = false)
{
    public static DocumentPaymentLink NotOffered(string reason, bool needsPortal = false) => new(reason, needsPortal);

    /// <summary>The customer-link page (QR, regenerate), coming back to the document.</summary>
    public string SharePage => $"/clientes/{CustomerId}/portal?volver={Uri.EscapeDataString(ReturnTo)}";
}
