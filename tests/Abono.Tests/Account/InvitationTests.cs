using System.Net;

namespace Abono.Tests.Account;

public class InvitationTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task An_administrador_invites_a_vendedor_who_joins_the_same_company()
    {
        var admin = await Merchant.SignUpAsync(factory, "Librería Central SpA");
        var email = $"vendedor{Guid.NewGuid():N}@libreria.cl";
        var invited = await admin.Client.FillAsync("/mi-cuenta/usuarios", new Dictionary<string, string?>
        {
            ["Input.Email"] = email, ["Input.Role"] = "Vendedor",
        });
        var link = invited.Document.QuerySelector("[data-testid=invitation-link]")?.GetAttribute("value");
        Assert.NotNull(link);
        await using (var scope = factory.ScopeFor(admin.CompanyId))
        {
            var mail = await scope.Db.Outbox.SingleAsync(m => m.CompanyId == admin.CompanyId && m.Payload.Contains(email));
            Assert.Contains(new Uri(link!).AbsolutePath, mail.Payload);
        }
        var path = new Uri(link!).PathAndQuery;

        var newcomer = factory.CreateAppClient();
        var joined = await newcomer.FillAsync(path, new Dictionary<string, string?>
        {
            ["Input.FullName"] = "Pedro Vendedor", ["Input.Password"] = "Vende2026",
        });
        Assert.Contains("Librería Central SpA", joined.Text);
        Assert.Contains("Pedro Vendedor", joined.Text);

        // Vendedor works with customers but does not administer users.
        Assert.Equal(HttpStatusCode.OK, (await newcomer.Http.GetAsync("/clientes")).StatusCode);
        var denied = await newcomer.Http.GetAsync("/mi-cuenta/usuarios");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/acceso-denegado", denied.Headers.Location!.OriginalString.Replace("http://localhost", ""));

        // The link works once.
        var reused = await factory.CreateAppClient().GetAsync(path);
        Assert.Contains("Invitación no válida", reused.Text);

        var users = await admin.Client.GetAsync("/mi-cuenta/usuarios");
        Assert.Contains("Pedro Vendedor", users.Text);
    }

    [Fact]
    public async Task A_revoked_or_unknown_invitation_does_not_open()
    {
        var admin = await Merchant.SignUpAsync(factory);
        var invited = await admin.Client.FillAsync("/mi-cuenta/usuarios", new Dictionary<string, string?>
        {
            ["Input.Email"] = $"x{Guid.NewGuid():N}@x.cl", ["Input.Role"] = "Administrador",
        });
        var path = new Uri(invited.Document.QuerySelector("[data-testid=invitation-link]")!.GetAttribute("value")!).PathAndQuery;
        await admin.Client.SubmitAsync(invited, new Dictionary<string, string?>(), button: "form[action*='handler=Revoke'] button");

        Assert.Contains("Invitación no válida", (await factory.CreateAppClient().GetAsync(path)).Text);
        Assert.Contains("Invitación no válida", (await factory.CreateAppClient().GetAsync("/invitacion/inventado")).Text);
        var client = factory.CreateAppClient();
        var post = await client.PostRawAsync("/invitacion/inventado", [new("Input.FullName", "Intruso"), new("Input.Password", "Clave2026")]);
        Assert.Contains("Invitación no válida", await post.Content.ReadAsStringAsync());
    }
}
