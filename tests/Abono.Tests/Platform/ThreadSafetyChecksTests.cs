using Abono.Web.Data;
using Abono.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Abono.Tests.Platform;

/// <summary>
/// Issue #19: EF Core's concurrent-use check costs an execution-context copy per row, so production runs without it;
/// the suite, Staging and a developer's machine keep it, so a context shared across threads still fails there.
/// </summary>
public class ThreadSafetyChecksTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Theory]
    [InlineData("Development", true)]
    [InlineData("Testing", true)]
    [InlineData("Staging", true)]
    [InlineData("Production", false)]
    public void The_check_is_on_everywhere_but_production(string environment, bool expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        Assert.Equal(expected, DataExtensions.ThreadSafetyChecks(builder));
    }

    [Theory]
    [InlineData("Production", "true", true)]
    [InlineData("Development", "false", false)]
    public void An_operator_setting_wins_over_the_environment(string environment, string setting, bool expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration["Database:ThreadSafetyChecks"] = setting;
        Assert.Equal(expected, DataExtensions.ThreadSafetyChecks(builder));
    }

    [Fact]
    public async Task The_suite_runs_with_the_check_on()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        Assert.True(db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.ThreadSafetyChecksEnabled);
    }
}
