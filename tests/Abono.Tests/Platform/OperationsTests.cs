using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Abono.Tests.Platform;

public class OperationsTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Liveness_and_readiness_answer()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private sealed class ProductionWithSandbox : AbonoFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task Production_refuses_to_start_with_the_sandbox_demo_data_or_no_mail_settings()
    {
        await using var production = new ProductionWithSandbox();
        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());
        var message = error.ToString();
        Assert.Contains("refuses to start in Production", message);
        Assert.Contains("Sandbox", message);
        // Return and webhook URLs are built from it, never from request headers: it must be the public https address.
        Assert.Contains("App:BaseUrl must be the public https:// address", message);
        // The tests point providers at a closed local port: Production refuses any non-HTTPS provider host.
        Assert.Contains("Gateways:Webpay:BaseUrl must be an https:// address", message);
    }

    [Fact]
    public async Task The_migrate_command_applies_migrations_and_exits()
    {
        var path = Path.Combine(Path.GetTempPath(), $"abono-migrate-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Abono.Web.dll"), "migrate"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["Database__Provider"] = "Sqlite", ["ConnectionStrings__Abono"] = $"Data Source={path}", ["Jobs__Enabled"] = "false" },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        Assert.True(new FileInfo(path).Length > 0);
        File.Delete(path);
    }
}
