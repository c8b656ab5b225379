using Microsoft.AspNetCore.Identity;

namespace Abono.Web.Features.Account;

/// <summary>A person who signs in to a company's back office. One user belongs to one company.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public Guid CompanyId { get; set; }
    public required string FullName { get; set; }
    public DateTime CreatedAt { get; set; }
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
