using System.Net;

namespace Abono.Tests.Account;

/// <summary>¿Olvidaste tu contraseña? and Cambiar contraseña, as a user goes through them.</summary>
public class PasswordRecoveryTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task A_forgotten_password_is_reset_through_the_emailed_link_which_then_no_longer_works()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var visitor = factory.CreateAppClient();
        var signIn = await visitor.GetAsync("/ingresar");
        Assert.NotNull(signIn.Document.QuerySelector("a[href='/ingresar/recuperar']"));

        var sent = await visitor.FillAsync("/ingresar/recuperar", new Dictionary<string, string?> { ["Email"] = merchant.Email });
        Assert.Equal("/ingresar/recuperar/revisa-tu-correo", sent.Url);
        var link = await Merchant.EmailedLinkAsync(factory, merchant.Email, "/ingresar/restablecer/");

        var reset = await visitor.FillAsync(link, new Dictionary<string, string?> { ["Password"] = "nueva-clave-2026", ["Confirmation"] = "nueva-clave-2026" });
        Assert.Equal("/ingresar", reset.Url);
        Assert.Contains("tu contraseña cambió", reset.Text);

        // The old password no longer works, the new one does.
        var old = await factory.CreateAppClient().FillAsync("/ingresar", new Dictionary<string, string?> { ["Input.Email"] = merchant.Email, ["Input.Password"] = merchant.Password });
        Assert.Contains("Correo o contraseña incorrectos", old.Text);
        var fresh = await factory.CreateAppClient().FillAsync("/ingresar", new Dictionary<string, string?> { ["Input.Email"] = merchant.Email, ["Input.Password"] = "nueva-clave-2026" });
        Assert.Equal("/", fresh.Url);

        // Single use: the same link again is dead, on sight and when posted.
        var again = await factory.CreateAppClient().GetAsync(link);
        Assert.NotNull(again.Document.QuerySelector("[data-testid=reset-link-invalid]"));
        Assert.Null(again.Document.QuerySelector("input[name=Password]"));
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_and_no_email_is_sent()
    {
        var visitor = factory.CreateAppClient();
        var nobody = $"nadie-{Guid.NewGuid():N}@abono.cl";
        var sent = await visitor.FillAsync("/ingresar/recuperar", new Dictionary<string, string?> { ["Email"] = nobody });
        Assert.Equal("/ingresar/recuperar/revisa-tu-correo", sent.Url);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        Assert.False(await db.Outbox.IgnoreQueryFilters().AnyAsync(m => m.Payload.Contains(nobody)));
    }

    [Fact]
    public async Task A_reset_link_expires_after_thirty_minutes()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await factory.CreateAppClient().FillAsync("/ingresar/recuperar", new Dictionary<string, string?> { ["Email"] = merchant.Email });
        var link = await Merchant.EmailedLinkAsync(factory, merchant.Email, "/ingresar/restablecer/");

        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        var page = await factory.CreateAppClient().GetAsync(link);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=reset-link-invalid]"));
    }

    [Theory]
    [InlineData("/ingresar/restablecer/no-es-un-enlace")]
    [InlineData("/ingresar/restablecer/%FF%FE%C3%28")]
    [InlineData("/ingresar/restablecer/MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA6eA")]
    public async Task A_forged_or_damaged_link_says_it_no_longer_works_and_changes_nothing(string path)
    {
        var page = await factory.CreateAppClient().GetAsync(path);
        Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
        if (page.Status == HttpStatusCode.OK)
        {
            Assert.NotNull(page.Document.QuerySelector("[data-testid=reset-link-invalid]"));
        }
    }

    [Fact]
    public async Task Mi_cuenta_changes_the_password_after_checking_the_current_one()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var wrong = await merchant.Client.FillAsync("/mi-cuenta/contrasena", new Dictionary<string, string?>
        {
            ["Current"] = "no-es-la-actual-1", ["Password"] = "otra-clave-2026", ["Confirmation"] = "otra-clave-2026",
        });
        Assert.Contains("La contraseña actual no es correcta", wrong.Text);

        var mismatch = await merchant.Client.FillAsync("/mi-cuenta/contrasena", new Dictionary<string, string?>
        {
            ["Current"] = merchant.Password, ["Password"] = "otra-clave-2026", ["Confirmation"] = "otra-clave-2027",
        });
        Assert.Contains("Las contraseñas no coinciden", mismatch.Text);

        var done = await merchant.Client.FillAsync("/mi-cuenta/contrasena", new Dictionary<string, string?>
        {
            ["Current"] = merchant.Password, ["Password"] = "otra-clave-2026", ["Confirmation"] = "otra-clave-2026",
        });
        Assert.Equal("/mi-cuenta", done.Url);
        Assert.Contains("Tu contraseña cambió", done.Text);
        var fresh = await factory.CreateAppClient().FillAsync("/ingresar", new Dictionary<string, string?> { ["Input.Email"] = merchant.Email, ["Input.Password"] = "otra-clave-2026" });
        Assert.Equal("/", fresh.Url);
    }
}
