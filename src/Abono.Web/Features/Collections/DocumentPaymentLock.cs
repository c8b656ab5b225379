using Abono.Web.Features.Documents;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Collections;

/// <summary>
/// "Pago en proceso": one live lock per document while a checkout for it is open. The primary key on DocumentId
/// makes two tabs paying the same document at once collide in the database, not in a check.
/// </summary>
public sealed class DocumentPaymentLock : ITenantOwned
{
    public long DocumentId { get; set; }
    public Guid CompanyId { get; set; }
    public Guid CheckoutId { get; set; }
    public DateTime ExpiresAt { get; set; }
}

internal sealed class DocumentPaymentLockConfiguration : IEntityTypeConfiguration<DocumentPaymentLock>
{
    public void Configure(EntityTypeBuilder<DocumentPaymentLock> b)
    {
        b.HasKey(x => x.DocumentId);
        b.Property(x => x.DocumentId).ValueGeneratedNever();
        b.HasIndex(x => x.CheckoutId);
        b.HasOne<Document>().WithOne().HasForeignKey<DocumentPaymentLock>(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
