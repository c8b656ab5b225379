using Abono.Web.Data;
using Abono.Web.Features;
using Abono.Web.Features.Account;
using Abono.Web.Features.Api;
using Abono.Web.Features.Demo;
using Abono.Web.Features.Import;
using Abono.Web.Features.Operator;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Platform.Observability;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddAbonoData();
builder.AddAbonoIdentity();
builder.AddAbonoWeb();
builder.AddAbonoFeatures();
builder.AddPayments();
builder.AddOutbox();
builder.AddAbonoApi();
builder.AddAbonoTelemetry();
builder.AddDemoData();

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
await app.SeedDemoDataAsync();
await app.DisableUnavailablePaymentMethodsAsync();
await app.GrantConfiguredOperatorsAsync();

app.UseAbonoWeb();
app.MapAbonoWeb();
app.MapGatewayWebhooks();
app.MapAbonoApi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
