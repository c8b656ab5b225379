using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// ¿Olvidaste tu contraseña? with the email the app really sends (read at the test SMTP listener), and Cambiar
/// contraseña in Mi cuenta.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordRecoveryJourneyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_forgotten_password_is_reset_through_the_emailed_link_which_is_refused_the_second_time(bool phone)
    {
        var device = phone ? "teléfono" : "escritorio";
        var merchant = await Merchant.SignUpAsync(fixture.Factory);
        var page = await fixture.NewPageAsync(phone);

        // Ingresar → ¿Olvidaste tu contraseña? → the email → Enviar enlace.
        await page.GotoAsync("/ingresar");
        await page.GetByRole(AriaRole.Link, new() { Name = "¿Olvidaste tu contraseña?" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "¿Olvidaste tu contraseña?" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Recuperar contraseña ({device})");
        await page.GetByLabel("Correo electrónico").FillAsync(merchant.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar enlace" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reset-check-email")).ToContainTextAsync("te enviamos un enlace para elegir una nueva contraseña");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Revisa tu correo ({device})");

        // The email's button → Elige una nueva contraseña.
        var mail = await fixture.EmailAsync(merchant.Email, "Restablece tu contraseña de Abono");
        Assert.Contains("vence en 30 minutos y sirve una sola vez", mail.TextBody);
        await Journey.FollowEmailButtonAsync(page, mail, "Elegir una nueva contraseña");
        await Journey.ArriveAsync(page, new Regex("^/ingresar/restablecer/"));
        var link = page.Url;
        Assert.StartsWith(fixture.BaseUrl + "/ingresar/restablecer/", link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Elige una nueva contraseña" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Elige una nueva contraseña ({device})");

        // A typo in the repetition is caught next to that field; then the new password is saved.
        await page.GetByLabel("Nueva contraseña", new() { Exact = true }).FillAsync("Panes2027");
        await page.GetByLabel("Repite la nueva contraseña").FillAsync("Panes2028");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar contraseña" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Repite la nueva contraseña")).ToHaveAccessibleDescriptionAsync("Las contraseñas no coinciden.");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Elige una nueva contraseña con errores ({device})");
        await page.GetByLabel("Nueva contraseña", new() { Exact = true }).FillAsync("Panes2027");
        await page.GetByLabel("Repite la nueva contraseña").FillAsync("Panes2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar contraseña" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Listo: tu contraseña cambió. Ingresa con la nueva.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingresar a Abono" })).ToBeVisibleAsync();

        // The old password no longer works; the new one does.
        await page.GetByLabel("Correo electrónico").FillAsync(merchant.Email);
        await page.GetByLabel("Contraseña").FillAsync(merchant.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Correo o contraseña incorrectos");
        await Journey.SignInAsync(page, merchant.Email, "Panes2027");

        // The same link a second time (someone who finds the email later) is refused and offers a new one.
        var later = await fixture.NewPageAsync(phone);
        await later.GotoAsync(link);
        await Assertions.Expect(later.GetByTestId("reset-link-invalid")).ToHaveTextAsync("Este enlace ya no sirve: venció, ya se usó o está incompleto. Pide uno nuevo.");
        await Assertions.Expect(later.GetByLabel("Nueva contraseña", new() { Exact = true })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(later, $"Enlace ya usado ({device})");
        await later.GetByRole(AriaRole.Link, new() { Name = "Pedir un enlace nuevo" }).ClickAsync();
        await Assertions.Expect(later.GetByRole(AriaRole.Heading, new() { Name = "¿Olvidaste tu contraseña?" })).ToBeVisibleAsync();
        await later.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_on_screen_and_no_email()
    {
        var merchant = await Merchant.SignUpAsync(fixture.Factory);
        var nobody = $"nadie{Guid.NewGuid():N}@panaderia.cl";
        var page = await fixture.NewPageAsync();

        var answers = new List<string>();
        foreach (var email in new[] { merchant.Email, nobody })
        {
            await page.GotoAsync("/ingresar/recuperar");
            await page.GetByLabel("Correo electrónico").FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enviar enlace" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("reset-check-email")).ToBeVisibleAsync();
            answers.Add($"{new Uri(page.Url).AbsolutePath}\n{await page.GetByTestId("reset-check-email").InnerTextAsync()}");
        }

        Assert.Equal(answers[0], answers[1]);
        await fixture.EmailAsync(merchant.Email, "Restablece tu contraseña de Abono");
        Assert.DoesNotContain(fixture.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == nobody));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Mi_cuenta_changes_the_password_after_checking_the_current_one()
    {
        var merchant = await Merchant.SignUpAsync(fixture.Factory);
        var page = await fixture.NewPageAsync();
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);

        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mi cuenta" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Cambiar contraseña" }).ClickAsync();
        await Journey.ArriveAsync(page, "/mi-cuenta/contrasena");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Cambiar contraseña");

        // A wrong current password is told next to its field, and nothing changes.
        await page.GetByLabel("Contraseña actual").FillAsync("no-es-la-actual-1");
        await page.GetByLabel("Nueva contraseña", new() { Exact = true }).FillAsync("Hornos2027");
        await page.GetByLabel("Repite la nueva contraseña").FillAsync("Hornos2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar contraseña" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Contraseña actual")).ToHaveAccessibleDescriptionAsync("La contraseña actual no es correcta.");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Cambiar contraseña con errores");

        await page.GetByLabel("Contraseña actual").FillAsync(merchant.Password);
        await page.GetByLabel("Nueva contraseña", new() { Exact = true }).FillAsync("Hornos2027");
        await page.GetByLabel("Repite la nueva contraseña").FillAsync("Hornos2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar contraseña" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mi cuenta" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tu contraseña cambió");

        // Cerrar sesión, then in again with the new password.
        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingresar a Abono" })).ToBeVisibleAsync();
        await Journey.SignInAsync(page, merchant.Email, "Hornos2027");
        await page.Context.CloseAsync();
    }
}
