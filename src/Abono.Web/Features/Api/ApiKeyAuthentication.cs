using System.Security.Claims;
using System.Text.Encodings.Web;
using Abono.Web.Data;
using Abono.Web.Platform.Security;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Abono.Web.Features.Api;

/// <summary>Authorization: Bearer abk_… (or X-Api-Key). The key is looked up by its hash; revoked keys fail.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AbonoDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "abono:api_scope";
    public const string KeyPrefix = "abk_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }
        var hash = TokenFactory.Hash(key);
        var apiKey = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null);
        if (apiKey is null)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (apiKey.LastUsedAt is null || now - apiKey.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == apiKey.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(TenantClaims.CompanyId, apiKey.CompanyId.ToString()),
            new Claim(ScopeClaim, apiKey.Scope == ApiScope.Write ? "write" : "read"),
            new Claim(ClaimTypes.Name, $"api:{apiKey.Prefix}"),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(title: "Falta una API key válida.", detail: "Envía Authorization: Bearer abk_… con una clave activa de Configuración → API.",
            statusCode: 401).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(title: "La API key no tiene permiso de escritura.", statusCode: 403).ExecuteAsync(Context);
}

public static class ApiKeys
{
    public static (string Key, string Prefix, string Hash) Create()
    {
        var (token, _) = TokenFactory.Create();
        var key = ApiKeyAuthenticationHandler.KeyPrefix + token;
        return (key, key[..10], TokenFactory.Hash(key));
    }
}
