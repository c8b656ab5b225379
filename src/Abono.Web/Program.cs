using Abono.Web.Data;
using Abono.Web.Features.Account;
using Abono.Web.Features.Api;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Collections;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Demo;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Import;
using Abono.Web.Features.Operator;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Portal;
using Abono.Web.Features.Products;
using Abono.Web.Features.Reminders;
using Abono.Web.Features.Reports;
using Abono.Web.Features.Sandbox;
using Abono.Web.Features.Webhooks;
using Abono.Web.Gateways;
using Abono.Web.Platform.Jobs;
using Abono.Web.Platform.Observability;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;

var builder = WebApplication.CreateBuilder(args);

// Platform: what every feature stands on (docs/architecture.md).
builder.AddAbonoData();
builder.AddAbonoWeb();
builder.AddOutbox();
builder.AddAbonoJobs();
builder.AddAbonoTelemetry();
builder.AddGateways();

// Features, one module each (Features/<Feature>/<Feature>Module.cs).
builder.AddAccount();
builder.AddCustomers();
builder.AddCustomerLinks();
builder.AddProducts();
builder.AddDocuments();
builder.AddImport();
builder.AddPaymentMethods();
builder.AddPayments();
builder.AddSandbox();
builder.AddBankTransfer();
builder.AddCollections();
builder.AddBilling();
builder.AddPortal();
builder.AddReminders();
builder.AddReports();
builder.AddWebhooks();
builder.AddApi();
builder.AddOperator();
builder.AddDemo();

var app = builder.Build();

app.EnsureSafeForProduction();
if (args is ["migrate", ..])
{
    // Deployments run this once before starting instances (see docs/operations.md).
    await app.MigrateAbonoDatabaseAsync();
    return 0;
}
if (app.Configuration.GetValue("Database:MigrateAtStart", true))
{
    await app.MigrateAbonoDatabaseAsync();
}
if (ImportCommand.Matches(args))
{
    return await ImportCommand.RunAsync(app, args);
}
await app.RunStartupTasksAsync();

app.UseAbonoWeb();
app.MapAbonoWeb();
app.MapPortal();
app.MapPayments();
app.MapApi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
