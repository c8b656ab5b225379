using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace Abono.Web.Platform.Web;

/// <summary>
/// Rate limits on every public entry point, in one place: one partitioned limiter picks a bucket by path and client
/// (IP, or API key for /api), so no endpoint can be forgotten. Limits are per instance (in memory): with N instances
/// behind a balancer the effective limit is up to N times higher, which is acceptable for abuse protection; the
/// counters that protect secrets (portal identification and sign-in failures, LoginThrottle) live in the database instead.
/// </summary>
public static class RateLimits
{
    public enum Bucket
    {
        /// <summary>Sign-in, sign-up, invitations: password guessing and account spam.</summary>
        Auth,

        /// <summary>The customer portal and its links, the return and sandbox pages, unsubscribe links.</summary>
        Public,

        /// <summary>Provider webhooks: a provider retries in bursts from few addresses.</summary>
        Webhooks,

        /// <summary>The REST API, per key.</summary>
        Api,

        /// <summary>Signed-in back office: generous, only against runaway clients.</summary>
        BackOffice,
    }

    public static IHostApplicationBuilder AddAbonoRateLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("RateLimits");
        var enabled = section.GetValue("Enabled", true);
        int PerMinute(Bucket bucket, int fallback) => section.GetValue($"PerMinute:{bucket}", fallback);
        var limits = new Dictionary<Bucket, int>
        {
            [Bucket.Auth] = PerMinute(Bucket.Auth, 20),
            [Bucket.Public] = PerMinute(Bucket.Public, 120),
            [Bucket.Webhooks] = PerMinute(Bucket.Webhooks, 3000),
            [Bucket.Api] = PerMinute(Bucket.Api, 600),
            [Bucket.BackOffice] = PerMinute(Bucket.BackOffice, 600),
        };
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (Bucket, string)>(context =>
            {
                var (bucket, client) = Classify(context);
                if (!enabled || bucket is null)
                {
                    return RateLimitPartition.GetNoLimiter((Bucket.BackOffice, ""));
                }
                return RateLimitPartition.GetSlidingWindowLimiter((bucket.Value, client), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = limits[bucket.Value],
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (rejected, ct) =>
            {
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                if (rejected.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem(title: "Demasiadas solicitudes", detail: "Superaste el límite de solicitudes por minuto. Intenta nuevamente en un minuto.",
                        statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejected.HttpContext);
                }
                // Pages: the status code page (/error/429) explains it in Spanish.
            };
        });
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Behind the reverse proxy the client's address comes from X-Forwarded-For, trusted only from known proxies.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var network in builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>Which bucket a request counts against, and for whom; null bucket = not limited (health, static files).</summary>
    public static (Bucket? Bucket, string Client) Classify(HttpContext context)
    {
        var path = context.Request.Path;
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "local";
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/css") || path.StartsWithSegments("/js")
            || path.StartsWithSegments("/lib") || path.StartsWithSegments("/img") || path.StartsWithSegments("/favicon.ico")
            || path.StartsWithSegments("/error"))
        {
            return (null, "");
        }
        if (path.StartsWithSegments("/webhooks"))
        {
            return (Bucket.Webhooks, ip);
        }
        if (path.StartsWithSegments("/api"))
        {
            var key = context.Request.Headers.Authorization.ToString();
            return (Bucket.Api, key.Length > 0 ? "key:" + key.GetHashCode(StringComparison.Ordinal) : ip);
        }
        if (HttpMethods.IsPost(context.Request.Method)
            && (path.StartsWithSegments("/ingresar") || path.StartsWithSegments("/crear-cuenta") || path.StartsWithSegments("/invitacion")))
        {
            return (Bucket.Auth, ip);
        }
        if (path.StartsWithSegments("/portal") || path.StartsWithSegments("/pagos") || path.StartsWithSegments("/sandbox")
            || path.StartsWithSegments("/recordatorios") || path.StartsWithSegments("/ingresar") || path.StartsWithSegments("/crear-cuenta")
            || path.StartsWithSegments("/invitacion"))
        {
            return (Bucket.Public, ip);
        }
        return (Bucket.BackOffice, context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.Identity.Name : ip);
    }
}
