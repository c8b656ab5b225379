using Abono.Web.Features.Payments;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.BankTransfer;

/// <summary>A bank statement (cartola) the business uploaded to reconcile transfers: Reportes → Pagos → Conciliar cartola.</summary>
public sealed class BankStatement : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public required string FileName { get; set; }

    /// <summary>The bank export layout it was read with (detected by its header, or the generic mapping).</summary>
    public required string Layout { get; set; }
    public DateTime UploadedAt { get; set; }
    public string? UploadedBy { get; set; }

    /// <summary>Credits in the file, and how many of them were new (not already known from an earlier, overlapping upload).</summary>
    public int CreditCount { get; set; }
    public int NewCreditCount { get; set; }
}

/// <summary>
/// One credit of a cartola. Its fingerprint (per company) makes a statement uploaded twice, or two overlapping
/// periods, record each credit once. Confirming it books the money through the same payment confirmation as any gateway.
/// </summary>
public sealed class BankStatementLine : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long StatementId { get; set; }

    /// <summary>SHA-256 (hex) of what identifies the credit in the bank's export.</summary>
    public required string Fingerprint { get; set; }
    public DateOnly Date { get; set; }
    public long Amount { get; set; }
    public required string Description { get; set; }
    public string? SenderRut { get; set; }
    public string? SenderName { get; set; }
    public string? Reference { get; set; }
    public StatementLineStatus Status { get; set; } = StatementLineStatus.Unmatched;

    /// <summary>The checkout the credit was confirmed as (a declared transfer's, or one created for the documents it paid).</summary>
    public Guid? CheckoutId { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
}

public enum StatementLineStatus
{
    Unmatched = 1,
    Confirmed = 2,
    Ignored = 3,
}

internal sealed class BankStatementConfiguration : IEntityTypeConfiguration<BankStatement>
{
    public void Configure(EntityTypeBuilder<BankStatement> b)
    {
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.Layout).HasMaxLength(40);
        b.Property(x => x.UploadedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CompanyId, x.UploadedAt });
    }
}

internal sealed class BankStatementLineConfiguration : IEntityTypeConfiguration<BankStatementLine>
{
    public void Configure(EntityTypeBuilder<BankStatementLine> b)
    {
        b.Property(x => x.Fingerprint).HasMaxLength(64);
        b.Property(x => x.Description).HasMaxLength(300);
        b.Property(x => x.SenderRut).HasMaxLength(12);
        b.Property(x => x.SenderName).HasMaxLength(100);
        b.Property(x => x.Reference).HasMaxLength(100);
        b.HasIndex(x => new { x.CompanyId, x.Fingerprint }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.Status, x.Date });
        b.HasOne<BankStatement>().WithMany().HasForeignKey(x => x.StatementId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Checkout>().WithMany().HasForeignKey(x => x.CheckoutId).OnDelete(DeleteBehavior.Restrict);
    }
}
