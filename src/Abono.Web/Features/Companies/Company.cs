namespace Abono.Web.Features.Companies;

public sealed class Company
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Rut { get; set; }
    public required string LegalName { get; set; }
    public required string BusinessActivity { get; set; }
    public string? Address { get; set; }
    public required string Email { get; set; }
    public DateTime CreatedAt { get; set; }
}
