using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Documents;

/// <summary>One forma de pago of a document and the part of the total it covers.</summary>
public sealed class DocumentPayment : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long DocumentId { get; set; }
    public PaymentForm Form { get; set; }
    public long Amount { get; set; }
}
