using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Abono.Tests.Platform;

/// <summary>Every public entry point is rate limited; past the limit people get a Spanish page and API clients a ProblemDetails 429.</summary>
public class RateLimitTests(RateLimitTests.LimitedFactory factory) : IClassFixture<RateLimitTests.LimitedFactory>
{
    public sealed class LimitedFactory : AbonoFactory
    {
        protected override bool RateLimited => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:PerMinute:Public", "5");
            builder.UseSetting("RateLimits:PerMinute:Auth", "3");
            builder.UseSetting("RateLimits:PerMinute:Webhooks", "4");
            builder.UseSetting("RateLimits:PerMinute:Api", "4");
        }
    }

    private static async Task<List<HttpStatusCode>> HammerAsync(Func<Task<HttpResponseMessage>> send, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            statuses.Add((await send()).StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task The_portal_answers_429_in_Spanish_past_its_limit_and_static_files_and_health_are_not_counted()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        var statuses = await HammerAsync(() => client.GetAsync("/portal/ABCDEFGH"), 7);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var page = await client.GetAsync("/portal/ABCDEFGH");
        Assert.Equal("60", page.Headers.RetryAfter?.ToString());
        Assert.Contains("Demasiadas solicitudes", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_in_posts_webhooks_and_the_API_have_their_own_limits()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var signIn = await HammerAsync(() => client.PostAsync("/ingresar", new FormUrlEncodedContent([new("Input.Email", "x@y.cl")])), 4);
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn[^1]);

        var webhooks = await HammerAsync(() => client.PostAsync("/webhooks/stripe/m1", new StringContent("{}")), 5);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, webhooks.Take(4));
        Assert.Equal(HttpStatusCode.TooManyRequests, webhooks[^1]);

        var api = await HammerAsync(() => client.GetAsync("/api/v1/customers"), 5);
        Assert.Equal(HttpStatusCode.TooManyRequests, api[^1]);
        var problem = await client.GetAsync("/api/v1/customers");
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Demasiadas solicitudes", await problem.Content.ReadAsStringAsync());
    }
}
