using Abono.Web.Gateways;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Sandbox;

/// <summary>The Pasarela de prueba: a gateway of our own with a hosted page, only where SandboxMode allows it.</summary>
public static class SandboxModule
{
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        var sandbox = SandboxMode.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(sandbox);
        if (sandbox.Enabled)
        {
            builder.Services.AddSingleton<IPaymentGateway, SandboxGateway>();
        }
        else
        {
            // No Pasarela de prueba here: its hosted page has no route at all (404), not a page that refuses.
            builder.Services.Configure<RazorPagesOptions>(options =>
                options.Conventions.AddPageRouteModelConvention("/Sandbox/Pay", model => model.Selectors.Clear()));
        }
        return builder;
    }
}
