using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;

namespace Abono.Web.Platform.Security;

/// <summary>
/// A data protector that remembers, for a short while, what it has just opened, for tokens a browser
/// sends back on every request: the antiforgery tokens (through <see cref="MaskedTokenProtector"/>; the payer's portal
/// cookie has <see cref="RepeatedTicketFormat"/>, which also skips the ticket's deserialisation). Opening the same
/// token on each page cost ~30 µs of AES and HMAC per operation on the portal's hot page (issue #19's profile).
/// <list type="bullet">
/// <item>Only a value the inner protector opened is remembered, keyed by its exact protected bytes, so a forged or
/// tampered token still fails every time; memory holds at most <see cref="Capacity"/> entries.</item>
/// <item>Opened values are remembered for <see cref="OpenedFor"/> (1 minute): a revoked key stops opening cookies
/// after that long at most. Each caller gets its own copy of the bytes, never a shared array.</item>
/// </list>
/// Sealing is not remembered here (a portal cookie is sealed only when it is issued or renewed); the antiforgery
/// tokens' <see cref="MaskedTokenProtector"/> remembers its seals and masks each response's token instead.
/// </summary>
public sealed class RepeatedTokenProtector(IDataProtector inner) : IDataProtector, IDisposable
{
    public const int Capacity = 20_000;
    public static readonly TimeSpan OpenedFor = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _opened = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

    public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

    public byte[] Unprotect(byte[] protectedData)
    {
        if (_opened.TryGetValue(new ByteKey(protectedData), out byte[]? known) && known is not null)
        {
            return (byte[])known.Clone();
        }
        // Throws for anything the key ring did not seal: nothing is remembered then.
        var plaintext = inner.Unprotect(protectedData);
        // The key keeps its own copy: the caller's array is theirs to reuse.
        _opened.Set(new ByteKey((byte[])protectedData.Clone()), (byte[])plaintext.Clone(),
            new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = OpenedFor });
        return plaintext;
    }

    public void Dispose() => _opened.Dispose();
}

/// <summary>
/// The app's data protection provider with the antiforgery tokens' protector swapped for a
/// <see cref="MaskedTokenProtector"/>; every other purpose (Identity's tokens, cookies, customer links) is the
/// key ring's protector itself.
/// </summary>
public sealed class AntiforgeryTokenProtectionProvider(IDataProtectionProvider inner, bool maskTokens = true) : IDataProtectionProvider
{
    /// <summary>The purpose ASP.NET Core's antiforgery token serializer asks for.</summary>
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    private readonly Lazy<MaskedTokenProtector> _antiforgery = new(() => new MaskedTokenProtector(inner.CreateProtector(AntiforgeryPurpose), maskTokens));

    public IDataProtector CreateProtector(string purpose) =>
        purpose == AntiforgeryPurpose ? _antiforgery.Value : inner.CreateProtector(purpose);

    /// <summary>Wraps the provider AddDataProtection registered (call after it).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IDataProtectionProvider));
        services.Remove(registered);
        services.AddSingleton<IDataProtectionProvider>(provider => new AntiforgeryTokenProtectionProvider(
            (IDataProtectionProvider)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)),
            provider.GetRequiredService<IConfiguration>().GetValue("Antiforgery:MaskTokens", true)));
    }
}
