using System.Net;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Infrastructure;

/// <summary>A company signed in to its back office through the real pages, with the product's steps (docs/product.md) as methods.</summary>
public sealed class Merchant(AbonoFactory factory, AppClient client, Guid companyId, string email, string password)
{
    private static int _rutSequence;

    public AppClient Client => client;
    public Guid CompanyId => companyId;
    public string Email => email;
    public string Password => password;

    /// <summary>A fresh valid RUT for every call, so tests never collide.</summary>
    public static string NewRut(int start = 60_000_000)
    {
        var body = start + Interlocked.Increment(ref _rutSequence) * 13 + Environment.ProcessId % 1000;
        return $"{body}-{Rut.ComputeCheckDigit(body)}";
    }

    public static async Task<Merchant> SignUpAsync(AbonoFactory factory, string? legalName = null)
    {
        var client = factory.CreateAppClient();
        var email = $"dueno{Guid.NewGuid():N}@empresa.cl";
        const string password = "Clave2026";
        var page = await client.FillAsync("/crear-cuenta", new Dictionary<string, string?>
        {
            ["Input.CompanyRut"] = NewRut(),
            ["Input.LegalName"] = legalName ?? "Empresa de Prueba SpA",
            ["Input.BusinessActivity"] = "Venta al por menor",
            ["Input.OwnerName"] = "Dueña Prueba",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/crear-cuenta/revisa-tu-correo", page.Url);
        // The account exists once the owner opens the emailed link and activates it.
        var activate = await client.GetAsync(await EmailedLinkAsync(factory, email, "/crear-cuenta/activar/"));
        var home = await client.SubmitAsync(activate, new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("Tu cuenta fue creada", home.Text);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Abono.Web.Features.Account.AppUser>>();
        var user = await users.FindByEmailAsync(email);
        return new Merchant(factory, client, user!.CompanyId, email, password);
    }

    /// <summary>The path of the first link starting with <paramref name="pathPrefix"/> in the newest email to <paramref name="to"/>.</summary>
    public static async Task<string> EmailedLinkAsync(AbonoFactory factory, string to, string pathPrefix)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var mails = await db.Outbox.IgnoreQueryFilters().Where(m => m.Payload.Contains(to)).OrderByDescending(m => m.Id).Select(m => m.Payload).ToListAsync();
        var mail = mails.Select(p => System.Text.Json.JsonSerializer.Deserialize<Abono.Web.Platform.Outbox.EmailMessage>(p)!).First(m => m.To == to);
        var match = System.Text.RegularExpressions.Regex.Match(mail.TextBody, System.Text.RegularExpressions.Regex.Escape(pathPrefix) + @"[A-Za-z0-9_\-]+");
        Assert.True(match.Success, $"No {pathPrefix} link in \"{mail.Subject}\"");
        return match.Value;
    }

    /// <summary>The same company signed in again on another app instance (a restart on the same database).</summary>
    public static async Task<Merchant> SignInAsync(AbonoFactory factory, Merchant existing)
    {
        var client = factory.CreateAppClient();
        await client.FillAsync("/ingresar", new Dictionary<string, string?> { ["Input.Email"] = existing.Email, ["Input.Password"] = existing.Password });
        return new Merchant(factory, client, existing.CompanyId, existing.Email, existing.Password);
    }

    public async Task<long> CreateCustomerAsync(string? rut = null, string? name = null, string? email = "pagos@cliente.cl", string? phone = "+56 9 6543 2100", int creditDays = 30)
    {
        var page = await client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
        {
            ["Input.Rut"] = rut ?? NewRut(70_000_000),
            ["Input.Name"] = name ?? "Cliente de Prueba Ltda.",
            ["Input.Email"] = email,
            ["Input.Phone"] = phone,
            ["Input.Address"] = "Av. Providencia 1234",
            ["Input.CreditDays"] = creditDays.ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Matches(@"^/clientes/\d+$", page.Url);
        return long.Parse(page.Url.Split('/').Last());
    }

    /// <summary>Issues from Documentos → Emitir documento; returns the resulting page (detail page on success).</summary>
    public async Task<AppClient.Page> IssueAsync(int type, long? customerId, IEnumerable<(string Description, long Quantity, long UnitPrice)> lines,
        string paymentForm = "Credito", IDictionary<string, string?>? extra = null, string url = "/documentos/nuevo")
    {
        var values = new Dictionary<string, string?>
        {
            ["Input.Type"] = type.ToString(),
            ["Input.CustomerId"] = customerId?.ToString(),
            ["Input.SinglePaymentForm"] = paymentForm,
        };
        var i = 0;
        foreach (var (description, quantity, unitPrice) in lines)
        {
            values[$"Input.Lines[{i}].Description"] = description;
            values[$"Input.Lines[{i}].Quantity"] = quantity.ToString();
            values[$"Input.Lines[{i}].UnitPrice"] = unitPrice.ToString();
            i++;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var form = await client.GetAsync(url);
        return await client.SubmitAsync(form, values, button: "button[formaction*='handler=Issue']");
    }

    public static long IdFrom(AppClient.Page page) => long.Parse(page.Url.Split('?')[0].Split('/').Last());

    public AbonoFactory Factory => factory;
}
