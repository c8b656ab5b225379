using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Companies;

public sealed class Company
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Rut { get; set; }
    public required string LegalName { get; set; }
    public required string BusinessActivity { get; set; }
    public string? Address { get; set; }
    public required string Email { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.Property(x => x.Rut).HasMaxLength(12);
        b.HasIndex(x => x.Rut).IsUnique();
        b.Property(x => x.LegalName).HasMaxLength(200);
        b.Property(x => x.BusinessActivity).HasMaxLength(200);
        b.Property(x => x.Address).HasMaxLength(300);
        b.Property(x => x.Email).HasMaxLength(254);
    }
}
