using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Gateways.Transfer;

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

public enum TransferStatus
{
    Declared = 1,
    Confirmed = 2,
    Rejected = 3,
}
