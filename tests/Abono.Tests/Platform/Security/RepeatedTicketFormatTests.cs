using System.Security.Claims;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// Issue #19: the payer's portal cookie is opened and deserialised once and remembered for a minute. What must not
/// change: a forged or altered cookie fails every time, each request gets a ticket of its own, and a cookie one
/// instance issues opens on another.
/// </summary>
public class RepeatedTicketFormatTests
{
    private static readonly EphemeralDataProtectionProvider Ring = new();

    private static TicketDataFormat Plain() => new(Ring.CreateProtector("portal-test"));

    private static AuthenticationTicket Payer(long customerId)
    {
        var identity = new ClaimsIdentity([new Claim("portal:customer", customerId.ToString()), new Claim("portal:code", "EMPRESA")], "Portal");
        var properties = new AuthenticationProperties { ExpiresUtc = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero) };
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, "Portal");
    }

    [Fact]
    public void An_altered_cookie_fails_every_time_even_after_the_genuine_one_was_opened()
    {
        using var format = new RepeatedTicketFormat(Plain());
        var cookie = format.Protect(Payer(42));
        Assert.Equal("42", format.Unprotect(cookie)!.Principal.FindFirst("portal:customer")!.Value);

        var altered = cookie[..^2] + (cookie[^2] == 'A' ? 'B' : 'A') + cookie[^1];
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(format.Unprotect(altered));
        }
        Assert.Null(format.Unprotect("no-es-una-cookie"));
        Assert.Null(format.Unprotect(""));
        Assert.Null(format.Unprotect(null));
    }

    [Fact]
    public void Each_request_gets_its_own_ticket_and_changing_one_changes_no_other()
    {
        using var format = new RepeatedTicketFormat(Plain());
        var cookie = format.Protect(Payer(42));

        // The first open (the key ring's own ticket) and two remembered ones: each changed as a handler changes its
        // ticket, and none of the changes reaches the next request.
        var tickets = new List<AuthenticationTicket>();
        for (var i = 0; i < 3; i++)
        {
            var ticket = format.Unprotect(cookie)!;
            Assert.All(tickets, earlier => Assert.NotSame(earlier.Principal, ticket.Principal));
            Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), ticket.Properties.ExpiresUtc);
            Assert.False(ticket.Properties.Items.ContainsKey("otro"));
            Assert.Equal(["42"], ticket.Principal.FindAll("portal:customer").Select(c => c.Value));
            Assert.Equal("Portal", ticket.AuthenticationScheme);

            ticket.Properties.ExpiresUtc = DateTimeOffset.MaxValue;
            ticket.Properties.Items["otro"] = "valor";
            ((ClaimsIdentity)ticket.Principal.Identity!).AddClaim(new Claim("portal:customer", "99"));
            ticket.Principal.Claims.First(c => c.Type == "portal:code").Properties["marca"] = "cambiada";
            tickets.Add(ticket);
        }
        Assert.DoesNotContain("marca", format.Unprotect(cookie)!.Principal.Claims.First(c => c.Type == "portal:code").Properties.Keys);
    }

    [Fact]
    public void A_genuine_cookie_is_opened_once_and_a_forged_one_every_time()
    {
        var inner = new CountingFormat(Plain());
        using var format = new RepeatedTicketFormat(inner);
        var cookie = format.Protect(Payer(42));
        var altered = cookie[..^2] + (cookie[^2] == 'A' ? 'B' : 'A') + cookie[^1];

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(format.Unprotect(cookie));
            Assert.Null(format.Unprotect(altered));
            Assert.Null(format.Unprotect("basura"));
        }
        Assert.Equal(1, inner.Opened[cookie]);
        Assert.Equal(5, inner.Opened[altered]);
        Assert.Equal(5, inner.Opened["basura"]);
    }

    [Fact]
    public void Another_spelling_of_a_genuine_cookie_is_opened_but_never_remembered()
    {
        var inner = new CountingFormat(Plain());
        using var format = new RepeatedTicketFormat(inner);
        var cookie = format.Protect(Payer(42));
        // Standard base64 with padding: the decoder takes it, so it opens, but only the handler's own spelling
        // takes a place in memory.
        var padded = cookie.Replace('-', '+').Replace('_', '/') + new string('=', (4 - cookie.Length % 4) % 4);
        Assert.NotEqual(cookie, padded);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("42", format.Unprotect(padded)!.Principal.FindFirst("portal:customer")!.Value);
        }
        Assert.Equal(3, inner.Opened[padded]);
    }

    /// <summary>The key ring's format, counting how often each text reached it.</summary>
    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public Dictionary<string, int> Opened { get; } = [];

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Opened[protectedText ?? ""] = Opened.GetValueOrDefault(protectedText ?? "") + 1;
            return inner.Unprotect(protectedText, purpose);
        }
    }

    [Fact]
    public void A_cookie_one_instance_issues_opens_on_another_both_ways()
    {
        using var remembering = new RepeatedTicketFormat(Plain());
        var plain = Plain();

        Assert.Equal("7", plain.Unprotect(remembering.Protect(Payer(7)))!.Principal.FindFirst("portal:customer")!.Value);
        var issuedElsewhere = plain.Protect(Payer(8));
        Assert.Equal("8", remembering.Unprotect(issuedElsewhere)!.Principal.FindFirst("portal:customer")!.Value);
        Assert.Equal("8", remembering.Unprotect(issuedElsewhere)!.Principal.FindFirst("portal:customer")!.Value);
    }

    [Fact]
    public void A_cookie_opened_for_one_purpose_is_not_handed_out_for_another()
    {
        using var format = new RepeatedTicketFormat(Plain());
        var cookie = format.Protect(Payer(42));
        Assert.NotNull(format.Unprotect(cookie));
        Assert.Null(format.Unprotect(cookie, "otro propósito"));

        var bound = format.Protect(Payer(43), "canal");
        Assert.NotNull(format.Unprotect(bound, "canal"));
        Assert.Null(format.Unprotect(bound));
    }
}
