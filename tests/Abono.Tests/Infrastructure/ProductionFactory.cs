using Microsoft.AspNetCore.Hosting;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// The app in the Production environment, configured as its startup guards demand of a real deployment (a real
/// platform gateway, an https App:BaseUrl, https provider hosts). Production needs PostgreSQL: use it from a
/// <see cref="PostgresFactAttribute"/> test.
/// </summary>
public class ProductionFactory : AbonoFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Platform:Gateway", "Webpay");
        builder.UseSetting("App:BaseUrl", "https://pagos.example.cl");
        foreach (var gateway in new[] { "Webpay", "MercadoPago", "Stripe" })
        {
            builder.UseSetting($"Gateways:{gateway}:BaseUrl", "https://127.0.0.1:9");
        }
    }
}
