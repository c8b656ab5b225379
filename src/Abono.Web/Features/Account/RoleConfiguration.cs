using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Account;

/// <summary>The two roles exist in every database from the first migration.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityRole<Guid>> b) => b.HasData(
        new IdentityRole<Guid>
        {
            Id = Guid.Parse("0190f0a0-0000-7000-8000-000000000001"),
            Name = Roles.Administrador,
            NormalizedName = Roles.Administrador.ToUpperInvariant(),
            ConcurrencyStamp = "b1d4c0de-0000-4000-8000-000000000001",
        },
        new IdentityRole<Guid>
        {
            Id = Guid.Parse("0190f0a0-0000-7000-8000-000000000002"),
            Name = Roles.Vendedor,
            NormalizedName = Roles.Vendedor.ToUpperInvariant(),
            ConcurrencyStamp = "b1d4c0de-0000-4000-8000-000000000002",
        },
        new IdentityRole<Guid>
        {
            Id = Guid.Parse("0190f0a0-0000-7000-8000-000000000003"),
            Name = Roles.Operador,
            NormalizedName = Roles.Operador.ToUpperInvariant(),
            ConcurrencyStamp = "b1d4c0de-0000-4000-8000-000000000003",
        });
}
