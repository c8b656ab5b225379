using System.Net;
using Abono.Web.Features.Account;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;

namespace Abono.Tests.Account;

/// <summary>Ingresar and Crear cuenta answer the same whether or not an email or RUT has an account; nobody can lock an account out.</summary>
public class AccountEnumerationTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    /// <summary>One sign-in: status, the form's error summary and Retry-After.</summary>
    private static async Task<(HttpStatusCode Status, string Message, string? RetryAfter, string? Location)> SignInAsync(AppClient client, string email, string password)
    {
        var response = await client.PostFormAsync(await client.GetAsync("/ingresar"),
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Password"] = password });
        var page = await AppClient.Page.ReadAsync(response, "/ingresar");
        var summary = page.Document.QuerySelector(".validation-summary-errors")?.TextContent.Trim() ?? "";
        return (response.StatusCode, summary, response.Headers.RetryAfter?.ToString(), response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Known_and_unknown_emails_get_the_same_answers_even_after_many_failures_and_the_account_is_never_locked()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var againstKnown = factory.CreateAppClient(from: "198.51.100.61");
        var againstUnknown = factory.CreateAppClient(from: "198.51.100.62");
        var unknownEmail = $"nadie{Guid.NewGuid():N}@empresa.cl";
        var answers = new List<(HttpStatusCode Status, string Message, string? RetryAfter, string? Location)>();
        for (var i = 0; i < 25; i++)
        {
            var known = await SignInAsync(againstKnown, merchant.Email, $"Incorrecta{i}");
            var unknown = await SignInAsync(againstUnknown, unknownEmail, $"Incorrecta{i}");
            Assert.Equal(known, unknown);
            answers.Add(known);
            if (known.Status == HttpStatusCode.TooManyRequests)
            {
                factory.Clock.Advance(TimeSpan.FromSeconds(int.Parse(known.RetryAfter!)));
            }
        }
        // Far more checked failures than the old lockout allowed (5), and throttle answers in between.
        Assert.True(answers.Count(a => a.Message == SignInModel.WrongCredentials) >= 10);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests && a.Message == SignInModel.TooMany(int.Parse(a.RetryAfter!)));
        Assert.DoesNotContain(answers, a => a.Message.Contains("Demasiados"));

        // The owner, from their own connection, signs in at once.
        var owner = await SignInAsync(factory.CreateAppClient(from: "192.0.2.61"), merchant.Email, merchant.Password);
        Assert.Equal((HttpStatusCode.Redirect, "/"), (owner.Status, owner.Location));

        // The guessing connection waits at most the per-subject ceiling, then the right password works there too.
        var throttled = await SignInAsync(againstKnown, merchant.Email, merchant.Password);
        if (throttled.Status == HttpStatusCode.TooManyRequests)
        {
            Assert.InRange(int.Parse(throttled.RetryAfter!), 1, (int)LoginThrottle.PerSubject.MaxDelay.TotalSeconds);
            factory.Clock.Advance(TimeSpan.FromSeconds(int.Parse(throttled.RetryAfter!)));
            throttled = await SignInAsync(againstKnown, merchant.Email, merchant.Password);
        }
        Assert.Equal((HttpStatusCode.Redirect, "/"), (throttled.Status, throttled.Location));

        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByEmailAsync(merchant.Email);
        Assert.Equal(0, user!.AccessFailedCount);
        Assert.Null(user.LockoutEnd);
    }

    [Fact]
    public async Task Password_spraying_from_one_address_costs_a_colleague_there_at_most_a_bounded_wait()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        const string office = "203.0.113.61";
        var attacker = factory.CreateAppClient(from: office);
        for (var failures = 0; failures < 30;)
        {
            var answer = await SignInAsync(attacker, $"victima{failures}@empresa.cl", "Clave2026");
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                factory.Clock.Advance(TimeSpan.FromSeconds(int.Parse(answer.RetryAfter!)));
            }
            else
            {
                failures++;
            }
        }
        var colleague = factory.CreateAppClient(from: office);
        var first = await SignInAsync(colleague, merchant.Email, merchant.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.Status);
        Assert.InRange(int.Parse(first.RetryAfter!), 1, (int)LoginThrottle.PerSource.MaxDelay.TotalSeconds);
        factory.Clock.Advance(TimeSpan.FromSeconds(int.Parse(first.RetryAfter!)));
        var second = await SignInAsync(colleague, merchant.Email, merchant.Password);
        Assert.Equal((HttpStatusCode.Redirect, "/"), (second.Status, second.Location));
    }

    private static Dictionary<string, string?> SignUpValues(string rut, string email) => new()
    {
        ["Input.CompanyRut"] = rut, ["Input.LegalName"] = "Otra Empresa SpA", ["Input.BusinessActivity"] = "Comercio",
        ["Input.OwnerName"] = "Ana Pérez", ["Input.Email"] = email, ["Input.Password"] = "OtraClave2026",
    };

    private async Task<List<EmailMessage>> MailsToAsync(string to)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var payloads = await db.Outbox.IgnoreQueryFilters().Where(m => m.Payload.Contains(to)).OrderBy(m => m.Id).Select(m => m.Payload).ToListAsync();
        return payloads.Select(p => System.Text.Json.JsonSerializer.Deserialize<EmailMessage>(p)!).Where(m => m.To == to).ToList();
    }

    private static async Task<(HttpStatusCode Status, string? Location, string Cookies, string Body)> PostSignUpAsync(AbonoFactory factory, Dictionary<string, string?> values)
    {
        var client = factory.CreateAppClient(from: "192.0.2.70");
        var form = await client.GetAsync("/crear-cuenta");
        var response = await client.PostFormAsync(form, values);
        var cookies = string.Join(",", (response.Headers.TryGetValues("Set-Cookie", out var set) ? set : []).Select(c => c.Split('=')[0]).Order());
        return (response.StatusCode, response.Headers.Location?.OriginalString, cookies, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_up_with_a_registered_email_or_rut_looks_like_a_new_sign_up_and_the_mailbox_is_told()
    {
        var existing = await Merchant.SignUpAsync(factory, "Empresa Registrada SpA");
        string existingRut;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            existingRut = await db.Companies.Where(c => c.Id == existing.CompanyId).Select(c => c.Rut).SingleAsync();
        }
        var newEmail = $"nueva{Guid.NewGuid():N}@empresa.cl";
        var otherEmail = $"otra{Guid.NewGuid():N}@empresa.cl";

        var fresh = await PostSignUpAsync(factory, SignUpValues(Merchant.NewRut(), newEmail));
        var takenEmail = await PostSignUpAsync(factory, SignUpValues(Merchant.NewRut(), existing.Email));
        var takenRut = await PostSignUpAsync(factory, SignUpValues(existingRut, otherEmail));

        // Same status, same place, same cookies, same body: nothing on screen tells the cases apart.
        Assert.Equal((HttpStatusCode.Redirect, SignUpModel.CheckEmailPath), (fresh.Status, fresh.Location));
        Assert.Equal(fresh, takenEmail);
        Assert.Equal(fresh, takenRut);

        // The mailboxes learn which case it was.
        Assert.Equal("Activa tu cuenta de Abono", Assert.Single(await MailsToAsync(newEmail)).Subject);
        var owner = (await MailsToAsync(existing.Email)).Last();
        Assert.Equal("Ya tienes una cuenta en Abono", owner.Subject);
        Assert.Contains("/ingresar", owner.TextBody);
        Assert.Contains("invite", Assert.Single(await MailsToAsync(otherEmail)).TextBody);

        // Nothing was created or changed: one company for the RUT, the owner's password still works.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            Assert.Equal(1, await db.Companies.CountAsync(c => c.Rut == existingRut));
            Assert.False(await db.Users.AnyAsync(u => u.Email == newEmail || u.Email == otherEmail));
        }
        var signIn = await SignInAsync(factory.CreateAppClient(from: "192.0.2.71"), existing.Email, existing.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        var withNewPassword = await SignInAsync(factory.CreateAppClient(from: "192.0.2.72"), existing.Email, "OtraClave2026");
        Assert.Equal(SignInModel.WrongCredentials, withNewPassword.Message);
    }

    [Fact]
    public async Task The_activation_link_creates_the_account_once_and_expires_and_a_tampered_one_does_nothing()
    {
        var email = $"activa{Guid.NewGuid():N}@empresa.cl";
        await PostSignUpAsync(factory, SignUpValues(Merchant.NewRut(), email));
        var link = await Merchant.EmailedLinkAsync(factory, email, "/crear-cuenta/activar/");

        var tampered = await factory.CreateAppClient().GetAsync(link[..^3] + (link.EndsWith("AAA") ? "BBB" : "AAA"));
        Assert.Contains("no es válido o venció", tampered.Text);

        var client = factory.CreateAppClient();
        var activate = await client.GetAsync(link);
        Assert.Contains("Otra Empresa SpA", activate.Text);
        var home = await client.SubmitAsync(activate, new Dictionary<string, string?>());
        Assert.Equal("/", home.Url);
        Assert.Contains("Tu cuenta fue creada", home.Text);

        var again = await factory.CreateAppClient().FillAsync(link, new Dictionary<string, string?>());
        Assert.Contains(SignUpHandler.AlreadyActive, again.Text);

        var late = $"tarde{Guid.NewGuid():N}@empresa.cl";
        await PostSignUpAsync(factory, SignUpValues(Merchant.NewRut(), late));
        var lateLink = await Merchant.EmailedLinkAsync(factory, late, "/crear-cuenta/activar/");
        factory.Clock.Advance(SignUpHandler.ActivationLifetime + TimeSpan.FromMinutes(1));
        var lateClient = factory.CreateAppClient();
        var expired = await lateClient.GetAsync(lateLink);
        Assert.Contains("no es válido o venció", expired.Text);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>().Users.AnyAsync(u => u.Email == late));
    }
}
