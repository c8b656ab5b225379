using System.Net;
using Abono.Web.Features.Account;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Abono.Tests.Dev;

/// <summary>/dev/correos (Development, no SMTP host): each company sees only its own mail; operators see all of it.</summary>
public class DevMailTests(DevMailTests.DevelopmentFactory factory) : IClassFixture<DevMailTests.DevelopmentFactory>
{
    /// <summary>The app as a newcomer runs it: Development without an SMTP host, the pickup folder in a temporary directory.</summary>
    public sealed class DevelopmentFactory : AbonoFactory
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"abono-devmail-{Guid.NewGuid():N}");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Development");
            builder.UseSetting("Smtp:Host", "");
            builder.ConfigureTestServices(services => services.AddSingleton(sp =>
                new PickupFolderEmailSender(new Folder(Root), sp.GetRequiredService<IOptions<SmtpOptions>>())));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private sealed class Folder(string root) : IHostEnvironment
        {
            public string EnvironmentName { get; set; } = Environments.Development;
            public string ApplicationName { get; set; } = "Abono.Web";
            public string ContentRootPath { get; set; } = root;
            public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        }
    }

    private async Task SendAsync(Guid? companyId, string subject)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            db.Outbox.Add(OutboxMessage.Email(companyId, new EmailMessage("cliente@x.cl", subject, "Texto de " + subject, HtmlBody: $"<p>HTML de {subject}</p>"), DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        await factory.Services.GetRequiredService<OutboxRelay>().RunOnceAsync();
    }

    [Fact]
    public async Task Each_company_sees_only_its_own_mail_and_operators_see_all()
    {
        var a = await Merchant.SignUpAsync(factory, "Empresa Correo A SpA");
        var b = await Merchant.SignUpAsync(factory, "Empresa Correo B SpA");
        await SendAsync(a.CompanyId, "Recibo de A");
        await SendAsync(b.CompanyId, "Recibo de B");
        await SendAsync(null, "Correo de Abono");

        var pageA = await a.Client.GetAsync("/dev/correos");
        Assert.Equal(HttpStatusCode.OK, pageA.Status);
        Assert.Contains("Recibo de A", pageA.Text);
        Assert.DoesNotContain("Recibo de B", pageA.Text);
        Assert.DoesNotContain("Correo de Abono", pageA.Text);

        var pageB = await b.Client.GetAsync("/dev/correos");
        Assert.Contains("Recibo de B", pageB.Text);
        Assert.DoesNotContain("Recibo de A", pageB.Text);
        // Not even by its file name: A cannot open B's email, B can.
        var fileB = Path.GetFileName(Directory.GetFiles(Path.Combine(factory.Root, "data", "mail"), "*.eml")
            .Single(f => File.ReadAllText(f).Contains("Recibo de B")));
        var htmlB = $"/dev/correos?handler=Html&name={Uri.EscapeDataString(fileB)}";
        Assert.Equal(HttpStatusCode.OK, (await b.Client.Http.GetAsync(htmlB)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.Http.GetAsync(htmlB)).StatusCode);

        var operatorAccount = await Merchant.SignUpAsync(factory, "Abono SpA");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(operatorAccount.Email))!, Roles.Operador);
        }
        await operatorAccount.Client.FillAsync("/ingresar", new Dictionary<string, string?>
        {
            ["Input.Email"] = operatorAccount.Email, ["Input.Password"] = operatorAccount.Password,
        });
        var all = await operatorAccount.Client.GetAsync("/dev/correos");
        Assert.Contains("Recibo de A", all.Text);
        Assert.Contains("Recibo de B", all.Text);
        Assert.Contains("Correo de Abono", all.Text);
    }
}
