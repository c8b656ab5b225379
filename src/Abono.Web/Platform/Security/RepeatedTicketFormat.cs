using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Abono.Web.Platform.Security;

/// <summary>
/// A cookie ticket format that remembers, for a short while, the tickets it has just opened: the payer's browser
/// sends the same portal cookie with every page, and opening it meant the key ring's AES and HMAC plus the ticket's
/// deserialisation, one new string per claim (authentication was 14 % of the payer's page's allocation, issue #19).
/// <list type="bullet">
/// <item>Only a ticket the inner format opened is remembered, keyed by the exact cookie text and purpose, so a forged
/// or tampered cookie still fails every time. Only the canonical spelling of a cookie is remembered (base64url
/// without padding, as the cookie handler writes it): the decoder also takes padded and standard base64, and those
/// other spellings of one genuine cookie would otherwise each take an entry.</item>
/// <item>Memory is bounded in bytes (<see cref="Budget"/>, an estimate per entry of the text and the ticket's
/// objects), not in entries: anyone holding a customer link can mint genuine cookies, and at worst pushes out other
/// payers' entries, which then cost one opening each.</item>
/// <item>Opened tickets are remembered for <see cref="RepeatedTokenProtector.OpenedFor"/> (1 minute): a revoked key
/// stops opening cookies after that long at most. The cookie handler still checks the ticket's expiry and runs
/// OnValidatePrincipal on every request.</item>
/// <item>Each caller gets its own <see cref="AuthenticationTicket.Clone"/> (principal, identities, claims and
/// properties), never the remembered objects: a handler that renews or changes its ticket changes only its copy.</item>
/// </list>
/// Sealing is not remembered (a cookie is sealed only when it is issued or renewed).
/// </summary>
public sealed class RepeatedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>What the remembered tickets may take, about 10,000 payers' cookies.</summary>
    public const long Budget = 32 * 1024 * 1024;

    /// <summary>Roughly what a ticket's principal, identity, claims and properties take beside its cookie's text.</summary>
    private const int TicketBytes = 2048;

    private readonly MemoryCache _opened = new(new MemoryCacheOptions { SizeLimit = Budget });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText) || !IsCanonical(protectedText))
        {
            return inner.Unprotect(protectedText, purpose);
        }
        var key = (protectedText, purpose);
        if (_opened.TryGetValue(key, out AuthenticationTicket? known) && known is not null)
        {
            return known.Clone();
        }
        // Null for anything the key ring did not seal (the format swallows the failure): nothing is remembered then.
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null)
        {
            return null;
        }
        // The cache keeps its own copy: the ticket returned is the caller's to change.
        _opened.Set(key, ticket.Clone(), new MemoryCacheEntryOptions
        {
            Size = protectedText.Length * 2L + (purpose?.Length ?? 0) * 2L + TicketBytes,
            AbsoluteExpirationRelativeToNow = RepeatedTokenProtector.OpenedFor,
        });
        return ticket;
    }

    /// <summary>Base64url without padding, the only spelling the cookie handler writes.</summary>
    private static bool IsCanonical(string text) =>
        text.Length % 4 != 1 && !text.AsSpan().ContainsAnyExcept(Base64Url);

    private static readonly System.Buffers.SearchValues<char> Base64Url =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public void Dispose() => _opened.Dispose();
}
