using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;

namespace Abono.Web.Platform.Security;

/// <summary>
/// The antiforgery tokens' protector: sealed by the key ring once a minute per token, and masked with fresh random
/// bytes for every response, as Rails and Django mask their CSRF tokens.
/// <list type="bullet">
/// <item>Why sealing is remembered: every payer page carries a form token, and sealing it (a key derivation, AES and
/// HMAC) was the largest cost left in Data Protection on the payer's page (issue #19's profile, ~13 µs of ~320).</item>
/// <item>Why the mask: a token that reads the same on every response could be guessed byte by byte wherever a proxy
/// compresses HTML that also reflects input (BREACH; <c>?monto=</c> is reflected). Masked, the bytes on the wire
/// differ every time: <c>marker ‖ mask ‖ (seal XOR mask)</c>, with a new mask from the system's random generator.</item>
/// <item>What it does not change: opening unmasks, then the key ring authenticates the seal
/// (<see cref="RepeatedTokenProtector"/> remembers what it opened for a minute), so an altered token fails every
/// time. A revoked key stops sealing within <see cref="SealedFor"/>, as it stops opening within
/// <see cref="RepeatedTokenProtector.OpenedFor"/>. Tokens sealed before masking (a form rendered just before a
/// deploy) still open: a key-ring payload starts with its magic header, never with the marker.</item>
/// <item>The antiforgery cookie's token is sealed as before, neither remembered nor masked: it is sealed once per
/// browser, never sits in a page, and stays readable by an instance still running the previous release.</item>
/// <item>Rolling deploys: an instance of a release before this one cannot open a masked form token (that post gets
/// a 400 and the payer posts again). <c>Antiforgery:MaskTokens=false</c> seals every token as before while still
/// opening masked ones: deploy with it first, then turn it on (docs/operations.md).</item>
/// </list>
/// </summary>
public sealed class MaskedTokenProtector(IDataProtector inner, bool maskTokens = true) : IDataProtector, IDisposable
{
    /// <summary>First byte of a masked token ('M'); the key ring's payloads start with 0x09.</summary>
    public const byte Marker = 0x4D;
    public static readonly TimeSpan SealedFor = TimeSpan.FromMinutes(1);

    /// <summary>Longer than any token this app issues (a masked form token is ~230 bytes): refused before any work.</summary>
    public const int MaxTokenBytes = 4096;

    private readonly RepeatedTokenProtector _opener = new(inner);
    private readonly MemoryCache _sealed = new(new MemoryCacheOptions { SizeLimit = RepeatedTokenProtector.Capacity });

    public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

    public byte[] Protect(byte[] plaintext)
    {
        if (!maskTokens || IsCookieToken(plaintext))
        {
            return inner.Protect(plaintext);
        }
        if (!_sealed.TryGetValue(new ByteKey(plaintext), out byte[]? seal) || seal is null)
        {
            seal = inner.Protect(plaintext);
            _sealed.Set(new ByteKey((byte[])plaintext.Clone()), seal, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = SealedFor });
        }
        var masked = new byte[1 + 2 * seal.Length];
        masked[0] = Marker;
        var mask = masked.AsSpan(1, seal.Length);
        RandomNumberGenerator.Fill(mask);
        Xor(seal, mask, masked.AsSpan(1 + seal.Length));
        return masked;
    }

    public byte[] Unprotect(byte[] protectedData)
    {
        if (protectedData.Length > MaxTokenBytes)
        {
            throw new CryptographicException("The antiforgery token is too long.");
        }
        if (protectedData.Length >= 3 && protectedData.Length % 2 == 1 && protectedData[0] == Marker)
        {
            var length = protectedData.Length / 2;
            var seal = new byte[length];
            Xor(protectedData.AsSpan(1 + length, length), protectedData.AsSpan(1, length), seal);
            return _opener.Unprotect(seal);
        }
        return _opener.Unprotect(protectedData);
    }

    public void Dispose()
    {
        _sealed.Dispose();
        _opener.Dispose();
    }

    /// <summary>
    /// ASP.NET Core's antiforgery token layout (DefaultAntiforgeryTokenSerializer): a version byte 0x01, the 16-byte
    /// security token, then 1 for the cookie's token and 0 for a form's. Anything else is treated as a form token.
    /// </summary>
    private static bool IsCookieToken(byte[] plaintext) => plaintext.Length > 17 && plaintext[0] == 0x01 && plaintext[17] == 1;

    private static void Xor(ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask, Span<byte> into)
    {
        for (var i = 0; i < value.Length; i++)
        {
            into[i] = (byte)(value[i] ^ mask[i]);
        }
    }
}
