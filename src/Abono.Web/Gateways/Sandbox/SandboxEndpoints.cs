using Abono.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Gateways.Sandbox;

/// <summary>The sandbox provider's API: create a payment and report its status, as JSON over HTTP.</summary>
public static class SandboxEndpoints
{
    private static readonly string[] Currencies = ["CLP"];

    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox/api").AllowAnonymous().DisableAntiforgery();
        api.MapGet("/estado", () => TypedResults.Ok(new { status = "ok" }));
        api.MapPost("/pagos", CreateAsync);
        api.MapGet("/pagos/{id:guid}", GetAsync);
        return app;
    }

    private static async Task<Results<Created<SandboxCreateResponse>, ValidationProblem>> CreateAsync(
        SandboxCreateRequest request, AbonoDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Amount <= 0)
        {
            errors["amount"] = ["El monto debe ser mayor que cero."];
        }
        if (!Currencies.Contains(request.Currency))
        {
            errors["currency"] = ["Moneda no soportada."];
        }
        if (!Uri.TryCreate(request.ReturnUrl, UriKind.Absolute, out _))
        {
            errors["returnUrl"] = ["La URL de retorno no es válida."];
        }
        if (string.IsNullOrWhiteSpace(request.OrderReference) || request.OrderReference.Length > 64)
        {
            errors["orderReference"] = ["La referencia de la orden es obligatoria."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var payment = new SandboxPayment
        {
            OrderReference = request.OrderReference,
            Amount = request.Amount,
            Currency = request.Currency,
            MerchantName = request.MerchantName[..Math.Min(200, request.MerchantName.Length)],
            Description = request.Description[..Math.Min(200, request.Description.Length)],
            ReturnUrl = request.ReturnUrl,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SandboxPayments.Add(payment);
        await db.SaveChangesAsync(ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}/sandbox/pagar/{payment.Id}";
        return TypedResults.Created($"/sandbox/api/pagos/{payment.Id}", new SandboxCreateResponse(payment.Id.ToString(), url));
    }

    private static async Task<Results<Ok<SandboxStatusResponse>, NotFound>> GetAsync(Guid id, AbonoDbContext db, CancellationToken ct)
    {
        var payment = await db.SandboxPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null)
        {
            return TypedResults.NotFound();
        }
        var status = payment.Decision switch
        {
            SandboxDecision.Approved => "approved",
            SandboxDecision.Rejected => "rejected",
            SandboxDecision.Abandoned => "abandoned",
            _ => "pending",
        };
        return TypedResults.Ok(new SandboxStatusResponse(payment.Id.ToString(), payment.OrderReference, status, payment.Amount, payment.Currency));
    }
}
