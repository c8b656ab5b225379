using Abono.Web.Features.Billing;
using Abono.Web.Features.Companies;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways.Sandbox;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Data;

internal sealed class CheckoutConfiguration : IEntityTypeConfiguration<Checkout>
{
    public void Configure(EntityTypeBuilder<Checkout> b)
    {
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        b.Property(x => x.FailureReason).HasMaxLength(300);
        b.Property(x => x.Description).HasMaxLength(200);
        b.HasIndex(x => new { x.CompanyId, x.Purpose, x.CreatedAt });
        b.HasIndex(x => new { x.State, x.UpdatedAt });
        b.HasIndex(x => x.NextCheckAt);
        b.Property(x => x.StartJson).HasMaxLength(4000);
        // NULLs are distinct in unique indexes on both engines: only portal checkouts carry a key.
        b.HasIndex(x => new { x.CompanyId, x.CustomerId, x.AttemptKey }).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.IsFinal);
    }
}

internal sealed class SandboxPaymentConfiguration : IEntityTypeConfiguration<SandboxPayment>
{
    public void Configure(EntityTypeBuilder<SandboxPayment> b)
    {
        b.Property(x => x.OrderReference).HasMaxLength(64);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.MerchantName).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(200);
        b.Property(x => x.ReturnUrl).HasMaxLength(500);
    }
}

internal sealed class AddOnConfiguration : IEntityTypeConfiguration<AddOn>
{
    public void Configure(EntityTypeBuilder<AddOn> b)
    {
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(500);
        b.HasData(new AddOn
        {
            Code = AddOn.PortalDePagos,
            Name = "Portal de pagos",
            Description = "Un enlace para que tus clientes paguen en línea sus documentos pendientes con las pasarelas que configures.",
            MonthlyPrice = 9_990,
            IsBeta = true,
        });
    }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<ServiceSubscription>
{
    public void Configure(EntityTypeBuilder<ServiceSubscription> b)
    {
        b.Property(x => x.AddOnCode).HasMaxLength(40);
        b.HasIndex(x => new { x.CompanyId, x.AddOnCode }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextChargeDate });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AddOn>().WithMany().HasForeignKey(x => x.AddOnCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PlatformInvoiceConfiguration : IEntityTypeConfiguration<PlatformInvoice>
{
    public void Configure(EntityTypeBuilder<PlatformInvoice> b)
    {
        b.Property(x => x.Description).HasMaxLength(200);
        b.HasIndex(x => new { x.SubscriptionId, x.PeriodStart }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.PeriodStart });
        b.HasOne<ServiceSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PortalConfigurationConfiguration : IEntityTypeConfiguration<PortalConfiguration>
{
    public void Configure(EntityTypeBuilder<PortalConfiguration> b)
    {
        b.HasKey(x => x.CompanyId);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.IssuerEmail).HasMaxLength(254);
        b.Property(x => x.PublicCode).HasMaxLength(32);
        b.HasIndex(x => x.PublicCode).IsUnique();
        b.Property(x => x.AccentColor).HasMaxLength(7);
        b.Property(x => x.ContactEmail).HasMaxLength(254);
        b.Property(x => x.ContactPhone).HasMaxLength(20);
        b.Property(x => x.ContactAddress).HasMaxLength(200);
        b.HasOne<Company>().WithOne().HasForeignKey<PortalConfiguration>(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PortalLogoConfiguration : IEntityTypeConfiguration<PortalLogo>
{
    public void Configure(EntityTypeBuilder<PortalLogo> b)
    {
        b.HasKey(x => x.CompanyId);
        b.HasOne<PortalConfiguration>().WithOne().HasForeignKey<PortalLogo>(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
    }
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
