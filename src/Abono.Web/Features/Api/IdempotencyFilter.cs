using System.Security.Cryptography;
using System.Text.Json;
using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Api;

/// <summary>
/// Idempotency-Key on POST: the first request with a key is recorded (unique per company and key) before it runs;
/// a retry with the same key and body gets the stored answer; a different body gets 422; a retry while the first is
/// still running gets 409. Keys are kept 24 hours.
/// </summary>
public sealed class IdempotencyFilter(AbonoDbContext db, TimeProvider clock) : IEndpointFilter
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(context);
        }
        if (key.Length > 100)
        {
            return Results.Problem(title: "Idempotency-Key admite hasta 100 caracteres.", statusCode: 400);
        }
        var hash = await BodyHashAsync(http.Request);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.IdempotencyRecords.Where(r => r.CreatedAt < now - Retention).ExecuteDeleteAsync();

        var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key);
        if (existing is not null)
        {
            return Replay(existing, hash);
        }
        var record = new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = now };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return Replay(await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Key == key), hash);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            // A failure leaves nothing behind: the client may retry with the same key.
            db.ChangeTracker.Clear();
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync();
            throw;
        }
        // Typed unions (Results<Created<T>, ValidationProblem>) wrap the result that carries status and value.
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var status = (inner as IStatusCodeHttpResult)?.StatusCode ?? 200;
        var body = inner is IValueHttpResult { Value: { } value } ? JsonSerializer.Serialize(value, value.GetType(), JsonSerializerOptions.Web) : null;
        await db.IdempotencyRecords.Where(r => r.Id == record.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, status).SetProperty(r => r.ResponseBody, body)
                .SetProperty(r => r.ResponseContentType, status >= 400 ? "application/problem+json" : "application/json"));
        return result;
    }

    private static IResult Replay(IdempotencyRecord record, string hash)
    {
        if (record.RequestHash != hash)
        {
            return Results.Problem(title: "Esta Idempotency-Key ya se usó con otro contenido.", statusCode: 422);
        }
        if (record.StatusCode is not { } status)
        {
            return Results.Problem(title: "Una solicitud con esta Idempotency-Key aún se está procesando.", statusCode: 409);
        }
        return Results.Text(record.ResponseBody ?? "", record.ResponseContentType, System.Text.Encoding.UTF8, status);
    }

    private static async Task<string> BodyHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        request.Body.Position = 0;
        var hash = await SHA256.HashDataAsync(request.Body);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash) + "|" + request.Path;
    }
}
