using Abono.Web.Features.Payments;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.BankTransfer;

/// <summary>A customer's "I transferred": stays Por confirmar until someone in the back office confirms or rejects it.</summary>
public sealed class TransferDeclaration : ITenantOwned
{
    public Guid CheckoutId { get; set; }
    public Guid CompanyId { get; set; }
    public long DeclaredAmount { get; set; }
    public DateOnly TransferDate { get; set; }
    public string? ProofFileName { get; set; }
    public string? ProofContentType { get; set; }
    public byte[]? Proof { get; set; }
    public TransferStatus Status { get; set; } = TransferStatus.Declared;
    public DateTime DeclaredAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? RejectionReason { get; set; }
}

internal sealed class TransferDeclarationConfiguration : IEntityTypeConfiguration<Abono.Web.Features.BankTransfer.TransferDeclaration>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.BankTransfer.TransferDeclaration> b)
    {
        b.HasKey(x => x.CheckoutId);
        b.Property(x => x.ProofFileName).HasMaxLength(200);
        b.Property(x => x.ProofContentType).HasMaxLength(100);
        b.Property(x => x.RejectionReason).HasMaxLength(300);
        b.HasIndex(x => new { x.CompanyId, x.Status });
        b.HasOne<Checkout>().WithOne().HasForeignKey<Abono.Web.Features.BankTransfer.TransferDeclaration>(x => x.CheckoutId).OnDelete(DeleteBehavior.Cascade);
    }
}

public enum TransferStatus
{
    Declared = 1,
    Confirmed = 2,
    Rejected = 3,
}
