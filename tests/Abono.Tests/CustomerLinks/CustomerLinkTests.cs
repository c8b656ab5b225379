using System.Net;
using Abono.Web.Features.Collections;
using Abono.Web.Features.CustomerLinks;

namespace Abono.Tests.CustomerLinks;

/// <summary>Enlace de pago específico para un cliente: unguessable, regenerable, expiring by policy.</summary>
public class CustomerLinkTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static async Task<string> LinkPathAsync(PortalScenario s)
    {
        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        Assert.NotNull(dialog.Document.QuerySelector("img[src^='data:image/png;base64,']"));
        Assert.Contains("wa.me/56961234567", dialog.Html);
        return new Uri(dialog.Document.QuerySelector("[data-testid=customer-link]")!.GetAttribute("value")!).PathAndQuery;
    }

    [Fact]
    public async Task The_link_opens_the_customers_documents_directly_and_stays_the_same_until_regenerated()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var path = await LinkPathAsync(s);
        Assert.Equal(path, await LinkPathAsync(s));
        Assert.Matches("^/portal/c/[A-Za-z0-9_-]{43}$", path);

        var payer = factory.CreateAppClient();
        var opened = await payer.FollowAsync(await payer.Http.GetAsync(path), path);
        Assert.EndsWith("/documentos", opened.Url);
        Assert.Contains("Hola, Cliente Portal Ltda.", opened.Text);
        Assert.Equal(2, opened.Document.QuerySelectorAll("input[name='Input.DocumentIds']").Length);

        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        await s.Merchant.Client.SubmitAsync(dialog, new Dictionary<string, string?>(), button: "form[action*='handler=Regenerate'] button");
        var newPath = await LinkPathAsync(s);
        Assert.NotEqual(path, newPath);

        var old = await factory.CreateAppClient().Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal("no-referrer", old.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no es válido", await old.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await factory.CreateAppClient().Http.GetAsync(newPath)).StatusCode);
    }

    [Fact]
    public async Task Ten_thousand_mutated_tokens_open_nothing()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var token = (await LinkPathAsync(s)).Split('/').Last();
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var random = new Random(42);
        var mutated = new HashSet<string>();
        while (mutated.Count < 10_000)
        {
            var chars = token.ToCharArray();
            var changes = 1 + random.Next(3);
            for (var i = 0; i < changes; i++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }
            var candidate = random.Next(10) switch
            {
                0 => new string(chars)[..^1],
                1 => new string(chars) + alphabet[random.Next(alphabet.Length)],
                _ => new string(chars),
            };
            if (candidate != token)
            {
                mutated.Add(candidate);
            }
        }

        var accepted = 0;
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Parallel.ForEachAsync(mutated, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (candidate, ct) =>
        {
            var response = await client.GetAsync($"/portal/c/{candidate}", ct);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                Interlocked.Increment(ref accepted);
            }
        });
        Assert.Equal(0, accepted);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"/portal/c/{token}")).StatusCode);
    }

    [Fact]
    public async Task A_link_past_its_validity_no_longer_opens()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?> { ["Input.CustomerLinkValidityDays"] = "7" });
        // The documents' pages already showed the customer's link, made before the policy: a new one follows it.
        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        await s.Merchant.Client.SubmitAsync(dialog, new Dictionary<string, string?>(), button: "form[action*='handler=Regenerate'] button");
        var path = await LinkPathAsync(s);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var link = await scope.Db.CustomerPortalLinks.SingleAsync(l => l.RevokedAt == null);
            Assert.NotNull(link.ExpiresAt);
            link.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await scope.Db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateAppClient().Http.GetAsync(path)).StatusCode);
        // Asking for the link again issues a fresh one that works.
        Assert.Equal(HttpStatusCode.Redirect, (await factory.CreateAppClient().Http.GetAsync(await LinkPathAsync(s))).StatusCode);
        _ = typeof(CustomerPortalLink);
    }

    [Fact]
    public async Task Enviar_por_correo_queues_the_link_to_the_customer()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        var sent = await s.Merchant.Client.SubmitAsync(dialog, new Dictionary<string, string?>(), button: "form[action*='handler=Email'] button");
        Assert.Contains($"Enviamos el enlace a {PortalScenario.CustomerEmail}", sent.Text);
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var message = await scope.Db.Outbox.SingleAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("/portal/c/"));
        Assert.Contains(PortalScenario.CustomerEmail, message.Payload);
    }
}
