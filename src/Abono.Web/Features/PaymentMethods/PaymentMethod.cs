using Abono.Web.Features.Companies;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>
/// A gateway a company has configured (Medios de pago). Public settings are plain JSON; secrets are one JSON blob
/// encrypted with Data Protection and never shown back except as masks.
/// </summary>
public sealed class PaymentMethod : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public GatewayKind Kind { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>Offered to payers in the Portal de pagos (only when also active).</summary>
    public bool EnabledInPortal { get; set; }
    public string SettingsJson { get; set; } = "{}";
    public string? SecretsProtected { get; set; }

    /// <summary>Last characters of each secret, e.g. {"SecretKey":"••••4242"}, so the form can show what is stored.</summary>
    public string SecretsMaskJson { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class PaymentMethodConfiguration : IEntityTypeConfiguration<PaymentMethod>
{
    public void Configure(EntityTypeBuilder<PaymentMethod> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.Kind }).IsUnique();
        b.Property(x => x.SettingsJson).HasMaxLength(4000);
        b.Property(x => x.SecretsProtected).HasMaxLength(8000);
        b.Property(x => x.SecretsMaskJson).HasMaxLength(1000);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
