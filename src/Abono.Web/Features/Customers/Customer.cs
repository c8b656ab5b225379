using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Customers;

public sealed class Customer : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }

    /// <summary>Normalized: 12345678-5.</summary>
    public required string Rut { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }

    /// <summary>E.164: +56912345678.</summary>
    public string? Phone { get; set; }
    public string? Address { get; set; }
    public int CreditDays { get; set; }

    /// <summary>Payment reminders by email; the customer can turn them off from the link in every reminder.</summary>
    public bool RemindersEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
