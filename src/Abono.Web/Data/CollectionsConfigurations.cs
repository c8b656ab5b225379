using Abono.Web.Features.Collections;
using Abono.Web.Features.Companies;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Data;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        // Not unique: a second approval of one checkout is a payment of its own (CheckoutApprovals keeps each once).
        b.HasIndex(x => x.CheckoutId);
        b.HasIndex(x => new { x.CompanyId, x.PaidAt, x.Id });
        b.HasIndex(x => new { x.CompanyId, x.CustomerId });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Checkout>().WithMany().HasForeignKey(x => x.CheckoutId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Allocations).WithOne().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PaymentAllocationConfiguration : IEntityTypeConfiguration<PaymentAllocation>
{
    public void Configure(EntityTypeBuilder<PaymentAllocation> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.DocumentId });
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
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

internal sealed class CustomerPortalLinkConfiguration : IEntityTypeConfiguration<CustomerPortalLink>
{
    public void Configure(EntityTypeBuilder<CustomerPortalLink> b)
    {
        b.Property(x => x.TokenHash).HasMaxLength(64);
        b.Property(x => x.TokenProtected).HasMaxLength(1000);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.CustomerId });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PortalLoginFailureConfiguration : IEntityTypeConfiguration<PortalLoginFailure>
{
    public void Configure(EntityTypeBuilder<PortalLoginFailure> b)
    {
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => new { x.KeyHash, x.At });
    }
}

internal sealed class PortalVerificationCodeConfiguration : IEntityTypeConfiguration<PortalVerificationCode>
{
    public void Configure(EntityTypeBuilder<PortalVerificationCode> b)
    {
        b.Property(x => x.CodeHash).HasMaxLength(64);
        b.Property(x => x.SourceHash).HasMaxLength(64);
        b.HasIndex(x => new { x.CustomerId, x.CreatedAt });
        b.HasIndex(x => new { x.SourceHash, x.CreatedAt });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Api.ApiKey>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Api.ApiKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Prefix).HasMaxLength(20);
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Api.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Api.IdempotencyRecord> b)
    {
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.RequestHash).HasMaxLength(300);
        b.Property(x => x.ResponseContentType).HasMaxLength(100);
        b.HasIndex(x => new { x.CompanyId, x.Key }).IsUnique();
        b.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Webhooks.WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Webhooks.WebhookEndpoint> b)
    {
        b.Property(x => x.Url).HasMaxLength(500);
        b.Property(x => x.SecretProtected).HasMaxLength(1000);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Webhooks.WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Webhooks.WebhookDelivery> b)
    {
        b.Property(x => x.EventType).HasMaxLength(40);
        b.Property(x => x.LastError).HasMaxLength(300);
        b.HasIndex(x => new { x.CompanyId, x.CreatedAt });
        b.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
        b.HasOne<Abono.Web.Features.Webhooks.WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReminderSettingsConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Reminders.ReminderSettings>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Reminders.ReminderSettings> b)
    {
        b.HasKey(x => x.CompanyId);
        b.Property(x => x.Offsets).HasMaxLength(100);
        b.Ignore(x => x.OffsetList);
        b.HasOne<Company>().WithOne().HasForeignKey<Abono.Web.Features.Reminders.ReminderSettings>(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReminderLogConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Reminders.ReminderLog>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Reminders.ReminderLog> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.CustomerId, x.ReminderDate }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.SentAt });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TransferDeclarationConfiguration : IEntityTypeConfiguration<Abono.Web.Gateways.Transfer.TransferDeclaration>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Gateways.Transfer.TransferDeclaration> b)
    {
        b.HasKey(x => x.CheckoutId);
        b.Property(x => x.ProofFileName).HasMaxLength(200);
        b.Property(x => x.ProofContentType).HasMaxLength(100);
        b.Property(x => x.RejectionReason).HasMaxLength(300);
        b.HasIndex(x => new { x.CompanyId, x.Status });
        b.HasOne<Checkout>().WithOne().HasForeignKey<Abono.Web.Gateways.Transfer.TransferDeclaration>(x => x.CheckoutId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> b)
    {
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(300);
        b.Property(x => x.RequestedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CompanyId, x.PaymentId });
        b.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InboxEventConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Payments.Inbox.InboxEvent>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Payments.Inbox.InboxEvent> b)
    {
        b.ToTable("InboxEvents");
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.WebhookKey).HasMaxLength(40);
        b.Property(x => x.Type).HasMaxLength(100);
        b.Property(x => x.ResourceId).HasMaxLength(200);
        b.Property(x => x.Outcome).HasMaxLength(20);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.Gateway, x.EventId }).IsUnique();
        b.HasIndex(x => new { x.ProcessedAt, x.NextAttemptAt });
    }
}
