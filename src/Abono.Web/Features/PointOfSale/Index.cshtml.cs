using Abono.Web.Data;
using Abono.Web.Features.Documents;

namespace Abono.Web.Features.PointOfSale;

/// <summary>A fast sale: boleta or factura, catalogue products, one forma de pago. Same rules and records as Documentos.</summary>
public sealed class IndexModel(AbonoDbContext db, DocumentIssuer issuer, TimeProvider clock) : IssueFormModel(db, issuer, clock)
{
    private static readonly DocumentType[] Types =
        [DocumentType.Boleta, DocumentType.Factura, DocumentType.BoletaExenta, DocumentType.FacturaExenta];

    protected override DocumentOrigin Origin => DocumentOrigin.PuntoDeVenta;
    protected override int BlankLines => 1;
    public override IReadOnlyList<DocumentType> AllowedTypes => Types;

    /// <summary>?cliente=ID preselects a customer; ?borrador=1 brings back the sale being typed (Completar datos del cliente).</summary>
    public async Task OnGetAsync(long? cliente, CancellationToken ct)
    {
        if (!RestoreDraft())
        {
            Input.Type = (int)DocumentType.Boleta;
            Input.SinglePaymentForm = nameof(PaymentForm.Efectivo);
        }
        Input.CustomerId = cliente;
        Input.QuickQuantity = 1;
        await LoadAsync(ct);
    }

    protected override string AfterIssueUrl(Document document) => $"/punto-de-venta/venta/{document.Id}";
}
