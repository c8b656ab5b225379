using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

/// <summary>The last folio used per company and document type; its row lock serializes issuing.</summary>
public sealed class FolioCounter : ITenantOwned
{
    public Guid CompanyId { get; set; }
    public DocumentType DocumentType { get; set; }
    public long LastFolio { get; set; }
}

internal sealed class FolioCounterConfiguration : IEntityTypeConfiguration<FolioCounter>
{
    public void Configure(EntityTypeBuilder<FolioCounter> b)
    {
        b.HasKey(x => new { x.CompanyId, x.DocumentType });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
