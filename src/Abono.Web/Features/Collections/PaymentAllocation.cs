using Abono.Web.Features.Documents;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Collections;

public sealed class PaymentAllocation : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long PaymentId { get; set; }
    public long DocumentId { get; set; }
    public long Amount { get; set; }
}

internal sealed class PaymentAllocationConfiguration : IEntityTypeConfiguration<PaymentAllocation>
{
    public void Configure(EntityTypeBuilder<PaymentAllocation> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.DocumentId });
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
