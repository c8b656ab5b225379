using Abono.Web.Features.Collections;
using Abono.Web.Features.Companies;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Customers;

public sealed class Customer : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }

    /// <summary>Normalized: 12345678-5.</summary>
    public required string Rut { get; set; }
    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            SearchName = SearchText.Normalize(value);
        }
    }

    private string _name = "";

    /// <summary>The name as searches compare it (<see cref="SearchText"/>), kept by the Name setter.</summary>
    public string SearchName { get; set; } = "";
    public string? Email { get; set; }

    /// <summary>E.164: +56912345678.</summary>
    public string? Phone { get; set; }
    public string? Address { get; set; }
    public int CreditDays { get; set; }

    /// <summary>Payment reminders by email; the customer can turn them off from the link in every reminder.</summary>
    public bool RemindersEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(x => x.Rut).HasMaxLength(12);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Email).HasMaxLength(254);
        b.Property(x => x.Phone).HasMaxLength(20);
        b.Property(x => x.Address).HasMaxLength(300);
        b.HasIndex(x => new { x.CompanyId, x.Rut }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.Name });
        b.Property(x => x.SearchName).HasMaxLength(200);
        b.HasIndex(x => new { x.CompanyId, x.SearchName });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
