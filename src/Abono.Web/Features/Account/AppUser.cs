using Abono.Web.Features.Companies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Account;

/// <summary>A person who signs in to a company's back office. One user belongs to one company.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public Guid CompanyId { get; set; }
    public required string FullName { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(x => x.FullName).HasMaxLength(200);
        b.HasIndex(x => x.CompanyId);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class Roles
{
    public const string Administrador = "Administrador";
    public const string Vendedor = "Vendedor";

    /// <summary>The platform operator (Abono itself): prices add-ons and sees who contracted them.</summary>
    public const string Operador = "Operador";

    /// <summary>The roles a company's Administrador can give.</summary>
    public static readonly string[] All = [Administrador, Vendedor];
}
