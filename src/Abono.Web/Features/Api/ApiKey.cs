using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Api;

/// <summary>A company's key for the REST API. Shown once when created; only its hash is stored.</summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CompanyId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters, so people can tell keys apart ("abk_3fA9…").</summary>
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public ApiScope Scope { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

public enum ApiScope
{
    Read = 1,
    Write = 2,
}

/// <summary>A POST answered under an Idempotency-Key: the same key and body get the same answer for 24 hours.</summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int? StatusCode { get; set; }
    public string? ResponseBody { get; set; }
    public string? ResponseContentType { get; set; }
    public DateTime CreatedAt { get; set; }
}
