using System.Net;
using Abono.Web.Features.Companies;

namespace Abono.Tests.Account;

public class SignUpTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Crear_cuenta_creates_the_company_and_its_administrador_and_signs_in()
    {
        var merchant = await Merchant.SignUpAsync(factory, "Ferretería El Tornillo SpA");

        var home = await merchant.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("Ferretería El Tornillo SpA", home.Text);

        var account = await merchant.Client.GetAsync("/mi-cuenta");
        Assert.Contains("Administrador", account.Text);
        Assert.Contains("Venta al por menor", account.Text);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var counters = await scope.Db.FolioCounters.CountAsync();
        Assert.Equal(6, counters);
    }

    [Fact]
    public async Task Sign_out_and_sign_in_again()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var signOut = await merchant.Client.FillAsync("/salir", new Dictionary<string, string?>());
        Assert.Contains("Ingresar a Abono", signOut.Text);
        Assert.Equal(HttpStatusCode.Redirect, (await merchant.Client.Http.GetAsync("/clientes")).StatusCode);

        var wrong = await merchant.Client.FillAsync("/ingresar", new Dictionary<string, string?>
        {
            ["Input.Email"] = merchant.Email, ["Input.Password"] = "incorrecta1",
        });
        Assert.Contains("Correo o contraseña incorrectos", wrong.Text);

        var home = await merchant.Client.FillAsync("/ingresar", new Dictionary<string, string?>
        {
            ["Input.Email"] = merchant.Email, ["Input.Password"] = merchant.Password,
        });
        Assert.Equal("/", home.Url);
        Assert.Contains("Deuda total", home.Text);
    }

    [Fact]
    public async Task Invalid_sign_up_shows_every_problem_at_its_field_and_saves_nothing()
    {
        var client = factory.CreateAppClient();
        var page = await client.FillAsync("/crear-cuenta", new Dictionary<string, string?>
        {
            ["Input.CompanyRut"] = "76.543.210-9",
            ["Input.LegalName"] = "",
            ["Input.BusinessActivity"] = "Comercio",
            ["Input.OwnerName"] = "Ana",
            ["Input.Email"] = "no-es-correo",
            ["Input.Password"] = "corta",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("dígito verificador", page.FieldError("Input.CompanyRut"));
        Assert.Equal("Ingresa la razón social.", page.FieldError("Input.LegalName"));
        Assert.Contains("correo válido", page.FieldError("Input.Email"));
        Assert.Null(page.FieldError("Input.Password"));

        var weak = await client.FillAsync("/crear-cuenta", new Dictionary<string, string?>
        {
            ["Input.CompanyRut"] = Merchant.NewRut(), ["Input.LegalName"] = "X SpA", ["Input.BusinessActivity"] = "Y",
            ["Input.OwnerName"] = "Ana", ["Input.Email"] = $"ana{Guid.NewGuid():N}@x.cl", ["Input.Password"] = "corta",
        });
        Assert.Contains("al menos 8 caracteres", weak.FieldError("Input.Password"));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        Assert.False(await db.Companies.AnyAsync(c => c.LegalName == "X SpA"));
    }

    [Fact]
    public async Task A_company_rut_can_only_sign_up_once()
    {
        var first = await Merchant.SignUpAsync(factory, "Primera SpA");
        await using var before = factory.Services.CreateAsyncScope();
        var rut = await before.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>().Companies
            .Where(c => c.Id == first.CompanyId).Select(c => c.Rut).SingleAsync();

        var again = factory.CreateAppClient();
        var email = $"otro{Guid.NewGuid():N}@x.cl";
        var page = await again.FillAsync("/crear-cuenta", new Dictionary<string, string?>
        {
            ["Input.CompanyRut"] = rut.Replace("-", ""), ["Input.LegalName"] = "Segunda SpA", ["Input.BusinessActivity"] = "Comercio",
            ["Input.OwnerName"] = "Ana", ["Input.Email"] = email, ["Input.Password"] = "Clave2026",
        });
        // The page does not say the RUT is taken (that would tell anyone who uses Abono); the email does.
        Assert.Equal("/crear-cuenta/revisa-tu-correo", page.Url);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var mail = await db.Outbox.IgnoreQueryFilters().Where(m => m.Payload.Contains(email)).Select(m => m.Payload).SingleAsync();
        Assert.Contains("ya tiene una cuenta", mail);
        Assert.Equal(1, await db.Companies.CountAsync(c => c.Rut == rut));
        Assert.False(await db.Companies.AnyAsync(c => c.LegalName == "Segunda SpA"));
    }

    [Fact]
    public async Task Health_answers_when_the_database_does()
    {
        var response = await factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Migrations_match_the_model_for_this_provider()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for both providers.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(AbonoFactory.IsPostgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
        _ = typeof(Company);
    }
}
