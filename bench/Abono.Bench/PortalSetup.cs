using Abono.Web.Features.Billing;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Customers;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Abono.Bench;

/// <summary>
/// Makes the generated company a portal user (Portal de pagos active, configured, a method enabled) and gives N random
/// customers with pending documents a customer link, through the app's own services (Data Protection key ring in the
/// database, CustomerLinks), exactly as the back office would.
/// </summary>
public static class PortalSetup
{
    public sealed record Link(long CustomerId, string Token);

    /// <summary>
    /// The app's services over the bench database, without starting a server or any background job. The content root
    /// is the app's own (src/Abono.Web: its appsettings.json, as deployed), not the directory the bench runs in; the
    /// environment is the app process's in bench/load.sh (Staging: as docker-compose.yml deploys it, where a
    /// sandbox payment moves balances like a real one, so the confirmation path allocates).
    /// </summary>
    public static WebApplication AppServices(BenchDatabase database, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.GetFullPath(contentRoot ?? AppContentRoot()), EnvironmentName = "Staging",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.IsPostgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Abono"] = database.ConnectionString,
            ["Jobs:Enabled"] = "false",
            ["Demo:Seed"] = "false",
            ["Smtp:Host"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        // The same platform and modules as Program.cs (no demo data, no start-up tasks).
        Abono.Web.Data.DataExtensions.AddAbonoData(builder);
        Abono.Web.Platform.Web.WebExtensions.AddAbonoWeb(builder);
        Abono.Web.Platform.Outbox.OutboxExtensions.AddOutbox(builder);
        Abono.Web.Platform.Jobs.JobsExtensions.AddAbonoJobs(builder);
        Abono.Web.Platform.Observability.TelemetryExtensions.AddAbonoTelemetry(builder);
        Abono.Web.Gateways.GatewayExtensions.AddGateways(builder);
        Abono.Web.Features.Account.AccountModule.AddAccount(builder);
        Abono.Web.Features.Customers.CustomersModule.AddCustomers(builder);
        Abono.Web.Features.CustomerLinks.CustomerLinksModule.AddCustomerLinks(builder);
        Abono.Web.Features.Products.ProductsModule.AddProducts(builder);
        Abono.Web.Features.Documents.DocumentsModule.AddDocuments(builder);
        Abono.Web.Features.Import.ImportModule.AddImport(builder);
        Abono.Web.Features.PaymentMethods.PaymentMethodsModule.AddPaymentMethods(builder);
        Abono.Web.Features.Payments.PaymentsModule.AddPayments(builder);
        Abono.Web.Features.Sandbox.SandboxModule.AddSandbox(builder);
        Abono.Web.Features.BankTransfer.BankTransferModule.AddBankTransfer(builder);
        Abono.Web.Features.Collections.CollectionsModule.AddCollections(builder);
        Abono.Web.Features.Billing.BillingModule.AddBilling(builder);
        Abono.Web.Features.Portal.PortalModule.AddPortal(builder);
        Abono.Web.Features.Reminders.RemindersModule.AddReminders(builder);
        Abono.Web.Features.Reports.ReportsModule.AddReports(builder);
        Abono.Web.Features.Webhooks.WebhooksModule.AddWebhooks(builder);
        Abono.Web.Features.Api.ApiModule.AddApi(builder);
        return builder.Build();
    }

    /// <summary>src/Abono.Web of the repository the bench runs from (bench/load.sh runs from the repository root).</summary>
    public static string AppContentRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Abono.Web");
            if (File.Exists(Path.Combine(candidate, "appsettings.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("src/Abono.Web (the app's content root) not found above the current directory.");
    }

    public static async Task<(string Code, List<Link> Links)> PrepareAsync(WebApplication app, int customers)
    {
        var company = Generator.BigCompany;
        var now = DateTime.UtcNow;
        string code;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(company);
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            if (!await db.Subscriptions.AnyAsync())
            {
                db.Subscriptions.Add(new ServiceSubscription
                {
                    AddOnCode = AddOn.PortalDePagos, Status = SubscriptionStatus.Active, MonthlyPrice = 9_990, CreatedAt = now, ActivatedAt = now,
                    CurrentPeriodStart = DateOnly.FromDateTime(now), NextChargeDate = DateOnly.FromDateTime(now).AddMonths(1),
                });
            }
            if (await db.PortalConfigurations.SingleOrDefaultAsync() is not { } portal)
            {
                portal = new PortalConfiguration { Name = "Paga a Gran Empresa", IssuerEmail = "cobranza@gran-empresa.cl", PublicCode = "BENCHGRANEMPRESA", UpdatedAt = now };
                db.PortalConfigurations.Add(portal);
            }
            code = portal.PublicCode;
            if (!await db.PaymentMethods.AnyAsync())
            {
                db.PaymentMethods.Add(new PaymentMethod { Kind = GatewayKind.Sandbox, IsActive = true, EnabledInPortal = true, CreatedAt = now, UpdatedAt = now });
            }
            await db.SaveChangesAsync();
        }

        List<long> ids;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(company);
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            var owing = await db.Documents.Where(d => d.Balance > 0 && d.CustomerId != null).Select(d => d.CustomerId!.Value).Distinct().OrderBy(id => id).Take(50_000).ToListAsync();
            ids = owing.OrderBy(_ => Random.Shared.Next()).Take(customers).ToList();
        }
        var links = new List<Link>();
        foreach (var id in ids)
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(company);
            var (token, _) = await scope.ServiceProvider.GetRequiredService<Abono.Web.Features.CustomerLinks.CustomerPortalLinks>().CurrentOrNewAsync(id, default);
            links.Add(new Link(id, token));
        }
        return (code, links);
    }
}
