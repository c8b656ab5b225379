using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Abono.Web.Platform.Web;

/// <summary>Resolves host names; an abstraction so tests can play a DNS server that changes its answer (rebinding).</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>What the guard lets through; built from configuration and the environment by <see cref="OutboundUrlGuardExtensions"/>.</summary>
public sealed record OutboundUrlOptions(bool AllowPrivateAddresses, bool RequireHttps)
{
    public const string AllowPrivateAddressesKey = "OutboundUrls:AllowPrivateAddresses";
}

/// <summary>Thrown from the connect step when a host resolves to an address we must not reach.</summary>
public sealed class OutboundAddressRefusedException() : Exception(OutboundUrlGuard.RefusedAtConnect);

/// <summary>
/// The one way Abono calls a URL a tenant typed (today: webhook receivers). Sign-up is open, so such a URL is an
/// attacker's request to our network (SSRF): loopback services, the private network, the cloud metadata address.
/// Checked twice: at save time (<see cref="ValidateAsync"/>, for a clear message next to the field) and at every
/// connection (<see cref="CreateHandler"/>), because the name's DNS answer can change after the check (DNS
/// rebinding), and rows saved before this guard existed were never checked.
/// </summary>
public sealed class OutboundUrlGuard(IHostResolver resolver, OutboundUrlOptions options, ILogger<OutboundUrlGuard> logger)
{
    public const string Malformed = "Ingresa una URL completa, por ejemplo https://erp.miempresa.cl/webhooks.";

    /// <summary>One message for every refusal (private, unresolvable, userinfo…): telling them apart would map our network.</summary>
    public const string Refused = "La URL debe ser https y apuntar a una dirección pública de tus sistemas (no se aceptan direcciones locales, privadas ni internas).";

    /// <summary>Plain http where https is required (Production): the scheme is what was typed, so saying so maps nothing.</summary>
    public const string HttpsOnly = "La URL debe empezar con https://: los webhooks llevan datos de pagos y no pueden viajar sin cifrar.";

    /// <summary>What the delivery log says when the connect step refused: no address, no range, nothing to probe with.</summary>
    public const string RefusedAtConnect = "Dirección no permitida.";

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(10);

    public OutboundUrlOptions Options => options;

    /// <summary>Save-time check: null when the URL may be stored, else the Spanish message to show next to the field.</summary>
    public async Task<string?> ValidateAsync(string? url, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 500 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http"))
        {
            return Malformed;
        }
        if (options.RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return HttpsOnly;
        }
        // "https://erp.cl@10.0.0.1/" reads as erp.cl to a person; credentials do not belong in a stored URL either.
        if (uri.UserInfo.Length > 0)
        {
            return Refused;
        }
        if (options.AllowPrivateAddresses)
        {
            return null;
        }
        var host = HostOf(uri.IdnHost);
        if (IsRefusedName(host))
        {
            return Refused;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesOfAsync(host, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // A name that does not resolve gets the same answer as a private one: no oracle for our internal DNS.
            return Refused;
        }
        // Every answer must be public: a name answering 8.8.8.8 and 127.0.0.1 would reach loopback on a retry.
        return addresses.Length > 0 && addresses.All(PublicAddress.IsPublic) ? null : Refused;
    }

    /// <summary>
    /// The handler for every client that calls tenant URLs: connects only to addresses checked at connect time, follows
    /// no redirect (a 302 to 169.254.169.254 would bypass everything), no proxy, no cookies, short timeouts.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = ConnectTimeout,
        MaxResponseHeadersLength = 16,   // KiB
        // An unread body is drained to reuse the connection; a hostile receiver's gigabytes are not worth it.
        MaxResponseDrainSize = 16 * 1024,
        // Pooled connections are to checked addresses; recycling them makes every new resolution pass the check again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = HostOf(context.DnsEndPoint.Host);
        if (options.RequireHttps && context.InitialRequestMessage.RequestUri?.Scheme != Uri.UriSchemeHttps)
        {
            logger.LogWarning("Refused outbound plain-HTTP connection to {Host} (https only here)", host);
            throw new OutboundAddressRefusedException();
        }
        var addresses = await AddressesOfAsync(host, ct);
        if (!options.AllowPrivateAddresses && (IsRefusedName(host) || addresses.Any(a => !PublicAddress.IsPublic(a))))
        {
            // The operator gets the details; the tenant's delivery log gets only RefusedAtConnect.
            logger.LogWarning("Refused outbound connection to {Host}, which resolves to {Addresses}", host, string.Join(", ", addresses.Select(a => a.ToString())));
            throw new OutboundAddressRefusedException();
        }
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        for (var i = 0; ; i++)
        {
            // Connect to the very address just checked, never to the name (which could resolve again, differently).
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(addresses[i], context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>True when the failure was this guard refusing the address (wrapped by HttpClient in HttpRequestException).</summary>
    public static bool IsRefused(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Literals in any form (2130706433, 0x7f000001, 0177.0.0.1, ::ffff:127.0.0.1) are parsed by IPAddress, as the
    /// socket layer would read them, so the check sees the address actually dialled; only real names go to DNS.
    /// </summary>
    private async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, ct);

    private static string HostOf(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    /// <summary>Names that are local by definition (RFC 6761 localhost) or only make sense inside a network (single label).</summary>
    private bool IsRefusedName(string host) => !options.AllowPrivateAddresses && !IPAddress.TryParse(host, out _)
        && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || !host.Contains('.'));

    /// <summary>
    /// At most <paramref name="maxChars"/> characters of a response body for a log, reading at most a few KiB: a
    /// receiver can answer gigabytes, and control characters (NUL breaks a PostgreSQL text column) become spaces.
    /// </summary>
    public static async Task<string?> ExcerptAsync(HttpResponseMessage response, int maxChars, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[Math.Min(maxChars * 4, 4096)];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
            {
                read += n;
            }
            var text = new StringBuilder();
            foreach (var c in Encoding.UTF8.GetString(buffer, 0, read))
            {
                // Bidi overrides and other format characters could make the log read differently from what was sent.
                var clean = char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? ' ' : c;
                if (clean != ' ' || (text.Length > 0 && text[^1] != ' '))
                {
                    text.Append(clean);
                }
            }
            var excerpt = text.ToString().Trim();
            if (excerpt.Length > maxChars)
            {
                // Never cut a surrogate pair in half: Npgsql refuses invalid UTF-16.
                var cut = char.IsHighSurrogate(excerpt[maxChars - 1]) ? maxChars - 1 : maxChars;
                excerpt = excerpt[..cut] + "…";
            }
            return excerpt.Length > 0 ? excerpt : null;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }
}

/// <summary>Classifies addresses: only globally routable unicast is public.</summary>
public static class PublicAddress
{
    private static readonly (byte[] Network, int Bits)[] NonPublicV4 =
    [
        ([0, 0, 0, 0], 8),          // "this network"; 0.0.0.0 reaches loopback on Linux
        ([10, 0, 0, 0], 8),         // RFC 1918
        ([100, 64, 0, 0], 10),      // carrier-grade NAT (RFC 6598)
        ([127, 0, 0, 0], 8),        // loopback
        ([169, 254, 0, 0], 16),     // link-local, includes the cloud metadata address 169.254.169.254
        ([172, 16, 0, 0], 12),      // RFC 1918
        ([192, 0, 0, 0], 24),       // IETF protocol assignments
        ([192, 0, 2, 0], 24),       // TEST-NET-1
        ([192, 88, 99, 0], 24),     // 6to4 relay anycast (deprecated)
        ([192, 168, 0, 0], 16),     // RFC 1918
        ([198, 18, 0, 0], 15),      // benchmarking
        ([198, 51, 100, 0], 24),    // TEST-NET-2
        ([203, 0, 113, 0], 24),     // TEST-NET-3
        ([224, 0, 0, 0], 4),        // multicast
        ([240, 0, 0, 0], 4),        // reserved, includes broadcast 255.255.255.255
    ];

    private static readonly (byte[] Network, int Bits)[] NonPublicInGlobalV6 =
    [
        ([0x20, 0x01, 0, 0], 23),           // IETF protocol assignments: Teredo, benchmarking, ORCHID
        ([0x20, 0x01, 0x0d, 0xb8], 32),     // documentation
        ([0x3f, 0xff, 0, 0], 20),           // documentation (RFC 9637)
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var bytes = address.GetAddressBytes();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !NonPublicV4.Any(r => InPrefix(bytes, r.Network, r.Bits)),
            AddressFamily.InterNetworkV6 => IsPublicV6(bytes),
            _ => false,
        };
    }

    private static bool IsPublicV6(byte[] bytes)
    {
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address the gateway will dial: judge that one.
        if (InPrefix(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96))
        {
            return IsPublic(new IPAddress(bytes[12..16]));
        }
        if (InPrefix(bytes, [0x20, 0x02], 16))
        {
            return IsPublic(new IPAddress(bytes[2..6]));
        }
        // Only global unicast 2000::/3 is public: this leaves out ::1, ::, fc00::/7 (fd00:ec2::254 is AWS metadata),
        // fe80::/10, ff00::/8 and IPv4-compatible ::a.b.c.d.
        return InPrefix(bytes, [0x20], 3) && !NonPublicInGlobalV6.Any(r => InPrefix(bytes, r.Network, r.Bits));
    }

    private static bool InPrefix(byte[] address, byte[] network, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            var networkBit = i / 8 < network.Length ? network[i / 8] & mask : 0;
            if ((address[i / 8] & mask) != networkBit)
            {
                return false;
            }
        }
        return true;
    }
}

public static class OutboundUrlGuardExtensions
{
    public static IHostApplicationBuilder AddOutboundUrlGuard(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        // Private addresses only for local development and tests with a receiver on loopback (refused in Production
        // by StartupGuards); https only in Production, where a webhook must not carry payment data in clear text.
        builder.Services.AddSingleton(new OutboundUrlOptions(
            builder.Configuration.GetValue<bool>(OutboundUrlOptions.AllowPrivateAddressesKey),
            RequireHttps: builder.Environment.IsProduction()));
        builder.Services.AddSingleton<OutboundUrlGuard>();
        return builder;
    }
}
