using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Demo;

/// <summary>Demo data (Demo:Seed, on in Development): a company with customers, documents and a configured portal.</summary>
public static class DemoModule
{
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DemoSeeder>();
        // First of the start-up tasks, so the ones after it (switching off unavailable methods) see the demo's rows.
        builder.Services.AddStartupTask("demo data", order: 0, app => app.SeedDemoDataAsync());
        return builder;
    }

    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Demo:Seed"))
        {
            return;
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation(
                "Abono is running at {Urls}. Demo sign-in: {Email} / {Password}",
                string.Join(", ", addresses), DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        });
    }
}
