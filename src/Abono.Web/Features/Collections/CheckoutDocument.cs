using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Collections;

/// <summary>The documents (and amounts) a portal checkout is paying, fixed when the customer pressed Pagar.</summary>
public sealed class CheckoutDocument : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public Guid CheckoutId { get; set; }
    public long DocumentId { get; set; }
    public long Amount { get; set; }
}

internal sealed class CheckoutDocumentConfiguration : IEntityTypeConfiguration<CheckoutDocument>
{
    public void Configure(EntityTypeBuilder<CheckoutDocument> b)
    {
        b.HasIndex(x => new { x.CheckoutId, x.DocumentId }).IsUnique();
        b.HasOne<Checkout>().WithMany().HasForeignKey(x => x.CheckoutId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
