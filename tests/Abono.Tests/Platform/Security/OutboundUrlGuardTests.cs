using System.Net;
using Abono.Web.Platform.Web;
using Microsoft.Extensions.Logging.Abstractions;

namespace Abono.Tests.Platform.Security;

/// <summary>The SSRF guard on its own: the address classifier, the save-time check and the connect-time check.</summary>
public class OutboundUrlGuardTests
{
    [Theory]
    // IPv4 that must never be reached from a tenant's URL
    [InlineData("0.0.0.0", false)]
    [InlineData("0.1.2.3", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("10.255.255.255", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.254", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.255.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("169.254.0.1", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.0.2.10", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("239.255.255.250", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    // IPv4 neighbours of those ranges, which are public
    [InlineData("1.1.1.1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("9.255.255.255", true)]
    [InlineData("11.0.0.1", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("126.255.255.255", true)]
    [InlineData("128.0.0.1", true)]
    [InlineData("169.253.255.255", true)]
    [InlineData("172.15.255.255", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.167.255.255", true)]
    [InlineData("192.169.0.1", true)]
    [InlineData("200.1.123.4", true)]
    [InlineData("223.255.255.255", true)]
    // IPv6
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::127.0.0.1", false)]            // IPv4-compatible (deprecated)
    [InlineData("64:ff9b::10.0.0.1", false)]      // NAT64 to a private address
    [InlineData("64:ff9b::7f00:1", false)]
    [InlineData("2002:7f00:1::1", false)]         // 6to4 wrapping 127.0.0.1
    [InlineData("2002:a00:1::1", false)]          // 6to4 wrapping 10.0.0.1
    [InlineData("fc00::1", false)]
    [InlineData("fd00:ec2::254", false)]          // AWS metadata over IPv6
    [InlineData("fe80::1", false)]
    [InlineData("fe80::1%2", false)]
    [InlineData("febf::1", false)]
    [InlineData("fec0::1", false)]                // site-local (deprecated)
    [InlineData("ff02::1", false)]
    [InlineData("2001::1", false)]                // Teredo
    [InlineData("2001:db8::1", false)]            // documentation
    [InlineData("3fff::1", false)]                // documentation
    [InlineData("100::1", false)]                 // discard-only
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::808:808", true)]        // NAT64 to 8.8.8.8
    [InlineData("2002:808:808::1", true)]         // 6to4 wrapping 8.8.8.8
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("2800:3f0:4003:c00::6a", true)]
    public void Only_globally_routable_unicast_is_public(string address, bool expected) =>
        Assert.Equal(expected, PublicAddress.IsPublic(IPAddress.Parse(address)));

    /// <summary>Answers from a table; any other name does not exist. Counts lookups to see what reached "DNS".</summary>
    private sealed class TableResolver(Dictionary<string, string[]> table) : IHostResolver
    {
        public List<string> Asked { get; } = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            Asked.Add(host);
            return table.TryGetValue(host, out var answers)
                ? Task.FromResult(answers.Select(IPAddress.Parse).ToArray())
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }

    private static readonly Dictionary<string, string[]> Answers = new()
    {
        ["receptor.example"] = ["8.8.8.8", "2001:4860:4860::8888"],
        ["intranet.example"] = ["10.1.2.3"],
        ["mixto.example"] = ["8.8.8.8", "127.0.0.1"],
        ["metadata.example"] = ["169.254.169.254"],
        ["v6local.example"] = ["fd00::5"],
    };

    private static OutboundUrlGuard Guard(bool allowPrivate = false, bool requireHttps = false, IHostResolver? resolver = null) =>
        new(resolver ?? new TableResolver(Answers), new OutboundUrlOptions(allowPrivate, requireHttps), NullLogger<OutboundUrlGuard>.Instance);

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://localhost")]
    [InlineData("http://LOCALHOST./")]
    [InlineData("http://api.localhost/")]
    [InlineData("http://intranet/")]                              // single label: only meaningful inside a network
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.5")]
    [InlineData("http://100.64.1.1")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://017700000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://intranet.example/")]
    [InlineData("http://mixto.example/")]                         // one public answer is not enough
    [InlineData("http://metadata.example/")]
    [InlineData("http://v6local.example/")]
    [InlineData("http://no-existe.example/")]                     // same answer as private: no DNS oracle
    [InlineData("http://usuario:clave@receptor.example/")]
    [InlineData("http://receptor.example@127.0.0.1/")]
    public async Task Non_public_destinations_are_refused_at_save_time(string url) =>
        Assert.Equal(OutboundUrlGuard.Refused, await Guard().ValidateAsync(url));

    [Theory]
    [InlineData("")]
    [InlineData("receptor.example/hooks")]
    [InlineData("ftp://receptor.example/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://receptor.example/")]
    public async Task What_is_not_an_http_URL_gets_the_format_message(string url) =>
        Assert.Equal(OutboundUrlGuard.Malformed, await Guard().ValidateAsync(url));

    [Theory]
    [InlineData("https://receptor.example/hooks")]
    [InlineData("http://receptor.example:8443/hooks?x=1")]
    [InlineData("http://RECEPTOR.example./hooks")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[2001:4860:4860::8888]/")]
    public async Task Public_destinations_are_accepted(string url) => Assert.Null(await Guard().ValidateAsync(url));

    [Fact]
    public async Task Production_takes_https_only()
    {
        var production = Guard(requireHttps: true);
        Assert.Equal(OutboundUrlGuard.HttpsOnly, await production.ValidateAsync("http://receptor.example/hooks"));
        Assert.Null(await production.ValidateAsync("https://receptor.example/hooks"));
    }

    [Fact]
    public async Task Literals_never_reach_DNS_and_private_addresses_pass_only_when_allowed()
    {
        var resolver = new TableResolver(Answers);
        Assert.Equal(OutboundUrlGuard.Refused, await Guard(resolver: resolver).ValidateAsync("http://2130706433/"));
        Assert.Empty(resolver.Asked);   // IPAddress read it as 127.0.0.1, as the socket layer would
        Assert.Null(await Guard(allowPrivate: true).ValidateAsync("http://127.0.0.1:5000/hooks"));
        // Userinfo stays refused even where private addresses are allowed: it is there to mislead a reader.
        Assert.Equal(OutboundUrlGuard.Refused, await Guard(allowPrivate: true).ValidateAsync("http://a@127.0.0.1/"));
    }

    /// <summary>Resolves to a public address the first time (the save), then to loopback (the connection).</summary>
    private sealed class RebindingResolver : IHostResolver
    {
        public int Calls { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            Task.FromResult(new[] { Calls++ == 0 ? IPAddress.Parse("8.8.8.8") : IPAddress.Loopback });
    }

    [Fact]
    public async Task The_connection_checks_the_address_again_and_refuses_a_rebound_name()
    {
        var resolver = new RebindingResolver();
        var guard = Guard(resolver: resolver);
        Assert.Null(await guard.ValidateAsync("http://rebind.example:9/hooks"));
        using var client = new HttpClient(guard.CreateHandler());
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("http://rebind.example:9/hooks", new StringContent("{}")));
        Assert.True(OutboundUrlGuard.IsRefused(failure), failure.ToString());
        Assert.Equal(2, resolver.Calls);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/")]
    [InlineData("http://0x7f000001:9/")]
    [InlineData("http://[::1]:9/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    public async Task The_connection_refuses_private_literals(string url)
    {
        using var client = new HttpClient(Guard().CreateHandler());
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
        Assert.True(OutboundUrlGuard.IsRefused(failure), failure.ToString());
    }

    [Fact]
    public async Task In_production_the_connection_refuses_plain_http_even_to_an_allowed_address()
    {
        using var client = new HttpClient(Guard(allowPrivate: true, requireHttps: true).CreateHandler());
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://127.0.0.1:9/"));
        Assert.True(OutboundUrlGuard.IsRefused(failure), failure.ToString());
    }

    [Fact]
    public void The_handler_follows_no_redirect_uses_no_proxy_and_gives_up_quickly()
    {
        using var handler = Guard().CreateHandler();
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseProxy);
        Assert.Equal(TimeSpan.FromSeconds(5), handler.ConnectTimeout);
        Assert.NotNull(handler.ConnectCallback);
    }

    [Fact]
    public async Task An_excerpt_is_short_single_line_and_free_of_control_characters()
    {
        var body = "Error\0 interno:\r\n\tinventario\u202E no disponible " + new string('x', 100_000) + "FIN";
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(body) };
        var excerpt = await OutboundUrlGuard.ExcerptAsync(response, 200, CancellationToken.None);
        Assert.NotNull(excerpt);
        Assert.StartsWith("Error interno: inventario no disponible xxx", excerpt);
        Assert.Equal(201, excerpt.Length);   // 200 and the ellipsis
        Assert.DoesNotContain(excerpt, c => char.IsControl(c) || c == '\u202E');

        using var emoji = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(new string('a', 199) + "😀😀") };
        var cut = await OutboundUrlGuard.ExcerptAsync(emoji, 200, CancellationToken.None);
        Assert.False(char.IsHighSurrogate(cut![^2]), "a surrogate pair was cut in half");

        // However long the body, only a few KiB of it are read.
        var endless = new EndlessStream();
        using var huge = new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StreamContent(endless) };
        Assert.StartsWith("xxxx", await OutboundUrlGuard.ExcerptAsync(huge, 200, CancellationToken.None));
        Assert.True(endless.BytesRead <= 4096, $"{endless.BytesRead} bytes read");

        using var empty = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(" \r\n") };
        Assert.Null(await OutboundUrlGuard.ExcerptAsync(empty, 200, CancellationToken.None));
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            BytesRead += count;
            return count;
        }
    }
}
