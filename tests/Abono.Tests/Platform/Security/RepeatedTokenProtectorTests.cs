using System.Net;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// Issue #19: the payer's cookie and the antiforgery tokens are opened once and remembered briefly instead of on every
/// page. What must not change: a forged or altered token fails every time, the bytes handed out are the caller's own,
/// and the forms still post.
/// </summary>
public class RepeatedTokenProtectorTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static IDataProtector KeyRing() => new EphemeralDataProtectionProvider().CreateProtector("test");

    [Fact]
    public void An_altered_token_fails_every_time_even_after_the_genuine_one_was_opened()
    {
        using var protector = new RepeatedTokenProtector(KeyRing());
        var sealedBytes = protector.Protect("cliente 42"u8.ToArray());
        Assert.Equal("cliente 42"u8.ToArray(), protector.Unprotect(sealedBytes));

        var altered = (byte[])sealedBytes.Clone();
        altered[^1] ^= 0x01;
        for (var i = 0; i < 3; i++)
        {
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(altered));
        }
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect("no es un token"u8.ToArray()));
    }

    [Fact]
    public void Each_caller_gets_its_own_copy_of_an_opened_value()
    {
        using var protector = new RepeatedTokenProtector(KeyRing());
        var sealedBytes = protector.Protect("cliente 42"u8.ToArray());
        var first = protector.Unprotect(sealedBytes);
        first[0] = (byte)'X';
        Assert.Equal("cliente 42"u8.ToArray(), protector.Unprotect(sealedBytes));
    }

    [Fact]
    public void Sealing_is_never_remembered_and_what_it_gives_opens_elsewhere()
    {
        var ring = new EphemeralDataProtectionProvider();
        using var forms = new RepeatedTokenProtector(ring.CreateProtector("p"));
        var plaintext = "token de formulario"u8.ToArray();

        // A fresh protected value every time (BREACH, key revocation), each a genuine one another instance opens.
        var first = forms.Protect(plaintext);
        var second = forms.Protect(plaintext);
        Assert.NotEqual(first, second);
        Assert.Equal(plaintext, ring.CreateProtector("p").Unprotect(first));
        Assert.Equal(plaintext, forms.Unprotect(second));
    }

    [Fact]
    public void A_form_token_reads_differently_on_every_response_yet_one_seal_a_minute_stands_behind_it()
    {
        var ring = new EphemeralDataProtectionProvider();
        using var forms = new MaskedTokenProtector(ring.CreateProtector("p"));
        var plaintext = "token de formulario"u8.ToArray();

        var tokens = Enumerable.Range(0, 20).Select(_ => forms.Protect(plaintext)).ToList();
        // What a compressing proxy sees: never the same bytes twice (BREACH has nothing to match against).
        Assert.Equal(20, tokens.Select(Convert.ToBase64String).Distinct().Count());
        // Behind every mask the same seal, a genuine key-ring payload that another instance opens.
        var seals = tokens.Select(Unmask).ToList();
        Assert.Single(seals.Select(Convert.ToBase64String).Distinct());
        Assert.Equal(plaintext, ring.CreateProtector("p").Unprotect(seals[0]));
        Assert.All(tokens, t => Assert.Equal(plaintext, forms.Unprotect(t)));
    }

    [Fact]
    public void An_altered_masked_token_fails_every_time_and_a_token_sealed_before_masking_still_opens()
    {
        var ring = new EphemeralDataProtectionProvider();
        using var forms = new MaskedTokenProtector(ring.CreateProtector("p"));
        var plaintext = "token de formulario"u8.ToArray();
        var token = forms.Protect(plaintext);
        Assert.Equal(plaintext, forms.Unprotect(token));

        foreach (var at in new[] { 0, 1, token.Length / 2, token.Length - 1 })
        {
            var altered = (byte[])token.Clone();
            altered[at] ^= 0x01;
            for (var i = 0; i < 2; i++)
            {
                Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => forms.Unprotect(altered));
            }
        }
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => forms.Unprotect([MaskedTokenProtector.Marker]));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => forms.Unprotect([]));

        // A form rendered just before the deploy carries an unmasked seal: it still posts.
        var legacy = ring.CreateProtector("p").Protect(plaintext);
        Assert.Equal(plaintext, forms.Unprotect(legacy));
    }

    [Fact]
    public void The_antiforgery_cookie_token_is_sealed_as_before_so_an_instance_of_the_previous_release_reads_it()
    {
        var ring = new EphemeralDataProtectionProvider();
        using var forms = new MaskedTokenProtector(ring.CreateProtector("p"));
        // ASP.NET Core's layout: version 0x01, 16 random bytes, then 1 for a cookie token.
        byte[] cookie = [0x01, .. Enumerable.Range(1, 16).Select(i => (byte)i), 0x01, 0x00];
        var first = forms.Protect(cookie);
        var second = forms.Protect(cookie);
        Assert.NotEqual(MaskedTokenProtector.Marker, first[0]);
        Assert.NotEqual(first, second);
        Assert.Equal(cookie, ring.CreateProtector("p").Unprotect(first));
        Assert.Equal(cookie, forms.Unprotect(second));
    }

    [Fact]
    public void With_masking_off_for_a_rolling_deploy_tokens_are_sealed_as_before_and_masked_ones_still_open()
    {
        var ring = new EphemeralDataProtectionProvider();
        using var masking = new MaskedTokenProtector(ring.CreateProtector("p"));
        using var plain = new MaskedTokenProtector(ring.CreateProtector("p"), maskTokens: false);
        var plaintext = "token de formulario"u8.ToArray();

        var sealedAsBefore = plain.Protect(plaintext);
        Assert.NotEqual(MaskedTokenProtector.Marker, sealedAsBefore[0]);
        Assert.NotEqual(sealedAsBefore, plain.Protect(plaintext));
        Assert.Equal(plaintext, ring.CreateProtector("p").Unprotect(sealedAsBefore));
        Assert.Equal(plaintext, plain.Unprotect(masking.Protect(plaintext)));
    }

    [Fact]
    public void A_token_longer_than_any_issued_is_refused_before_any_work()
    {
        using var forms = new MaskedTokenProtector(new EphemeralDataProtectionProvider().CreateProtector("p"));
        var huge = new byte[MaskedTokenProtector.MaxTokenBytes + 1];
        huge[0] = MaskedTokenProtector.Marker;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => forms.Unprotect(huge));
    }

    private static byte[] Unmask(byte[] token)
    {
        Assert.Equal(MaskedTokenProtector.Marker, token[0]);
        var length = token.Length / 2;
        return Enumerable.Range(0, length).Select(i => (byte)(token[1 + i] ^ token[1 + length + i])).ToArray();
    }

    [Fact]
    public async Task A_payer_pays_twice_on_a_cookie_token_opened_from_memory()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var payer = await s.IdentifiedPayerAsync();
        // The same page twice: each has its own form token (the cookie token behind both was opened from memory).
        var first = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var again = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.NotEqual(Token(first), Token(again));

        var paid = await s.PayAsync(payer, s.DocumentIds.Take(1));
        Assert.Equal("Succeeded", paid.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
        var second = await s.PayAsync(payer, s.DocumentIds.Skip(1));
        Assert.Equal("Succeeded", second.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));

        // Another browser's token is still refused on this one's cookie.
        var other = await s.IdentifiedPayerAsync();
        var foreign = Token(await other.GetAsync($"/portal/{s.Code}/documentos"));
        var forged = await payer.Http.PostAsync($"/portal/{s.Code}/documentos?handler=Preview", new FormUrlEncodedContent(
            [new("Input.DocumentIds", s.DocumentIds[0].ToString()), new("__RequestVerificationToken", foreign)]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Payer_pages_are_stored_by_no_cache_and_antiforgery_has_nothing_to_override()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var response = await payer.Http.GetAsync($"/portal/{s.Code}/documentos");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.True(response.Headers.CacheControl.NoCache);
        // It used to log "The 'Cache-Control' and 'Pragma' headers have been overridden" on every payer page.
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("headers have been overridden"));
    }

    private static string Token(AppClient.Page page) =>
        page.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
}
