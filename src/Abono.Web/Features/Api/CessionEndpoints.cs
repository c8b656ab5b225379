using System.Security.Claims;
using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Api;

/// <summary>
/// /api/v1/documents/{id}/cession and /claim: the business's systems record a cesión (or undo it) and a buyer's claim
/// (or resolve it). Same rules as the document's detail page (DocumentCessions, DocumentClaims); answers are the
/// document as GET /documents/{id} shows it, with its cesión and claim.
/// </summary>
public static class CessionEndpoints
{
    internal static void Map(RouteGroupBuilder write)
    {
        write.MapPost("/documents/{id:long}/cession", RecordAsync).WithTags(ApiReference.CessionsTag).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Registrar la cesión de una factura")
            .WithDescription("Registra que la factura se cedió a un factoring: desde ahora el cliente le paga al cesionario y la factura no se cobra en el Portal de pagos. Solo facturas (si no, 409).");
        write.MapPost("/documents/{id:long}/cession/revert", RevertAsync).WithTags(ApiReference.CessionsTag).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deshacer la cesión de una factura")
            .WithDescription("Deshace la cesión vigente; la factura vuelve a ser cobrable, salvo que tenga un reclamo.");
        write.MapPost("/documents/{id:long}/claim", ClaimAsync).WithTags(ApiReference.CessionsTag).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Registrar un reclamo del comprador")
            .WithDescription("Marca la factura como reclamada (contenido, falta-parcial o falta-total): no se cobra hasta que resuelvas el reclamo.");
        // A POST, like every write here: the idempotency filter hashes POST bodies (the API buffers only those).
        write.MapPost("/documents/{id:long}/claim/resolve", ResolveClaimAsync).WithTags(ApiReference.CessionsTag).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Resolver el reclamo")
            .WithDescription("Da por resuelto el reclamo: la factura vuelve a ser cobrable, salvo que esté cedida.");
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> RecordAsync(long id, CessionRequest request,
        AbonoDbContext db, DocumentCessions cessions, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var cededAt = request.CededOn is { } on ? DocumentCessions.FromChileDate(on) : clock.GetUtcNow().UtcDateTime;
        var result = await cessions.RecordAsync(db, id, request.Sequence, request.CessionaryRut ?? "", request.CessionaryName ?? "", cededAt,
            request.Amount, CessionSource.Api, request.Note, user.Identity?.Name, ct);
        return await AnswerAsync(db, id, result.Outcome == CessionOutcome.NotFound, result.Succeeded, result.Errors, clock, ct);
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> RevertAsync(long id, CessionRevertRequest request,
        AbonoDbContext db, DocumentCessions cessions, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await cessions.RevertAsync(db, id, request.Note, user.Identity?.Name, ct);
        return await AnswerAsync(db, id, result.Outcome == CessionOutcome.NotFound, result.Succeeded, result.Errors, clock, ct);
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> ClaimAsync(long id, ClaimRequest request,
        AbonoDbContext db, DocumentClaims claims, TimeProvider clock, CancellationToken ct)
    {
        DocumentClaim? reason = null;
        if (request.Reason is not null)
        {
            reason = ClaimCodes.Parse(request.Reason);
            if (reason is null)
            {
                return TypedResults.ValidationProblem(new FieldErrors().Add(nameof(request.Reason), "Usa contenido, falta-parcial o falta-total.").ToDictionary(),
                    title: "Los datos no son válidos.");
            }
        }
        var result = await claims.MarkAsync(db, id, reason, request.Note, ct);
        return await AnswerAsync(db, id, result.Outcome == ClaimOutcome.NotFound, result.Succeeded, result.Errors, clock, ct);
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> ResolveClaimAsync(long id,
        AbonoDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var result = await DocumentClaims.ResolveAsync(db, id, ct);
        return await AnswerAsync(db, id, result.Outcome == ClaimOutcome.NotFound, result.Succeeded, result.Errors, clock, ct);
    }

    /// <summary>
    /// A refusal about the document itself (not a facturas, not ceded, a sequence already taken by another cessionary)
    /// is a 409 conflict; a bad field a 400 with the field's message.
    /// </summary>
    private static async Task<Results<Ok<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> AnswerAsync(AbonoDbContext db, long id,
        bool notFound, bool succeeded, FieldErrors errors, TimeProvider clock, CancellationToken ct)
    {
        if (notFound)
        {
            return TypedResults.NotFound();
        }
        if (!succeeded)
        {
            var conflict = errors.All.FirstOrDefault(e => e.Key is "" or "Type" or "Sequence");
            return conflict.Value is { Count: > 0 } messages
                ? TypedResults.Problem(title: messages[0], statusCode: StatusCodes.Status409Conflict)
                : TypedResults.ValidationProblem(errors.ToDictionary(), title: "Los datos no son válidos.");
        }
        var document = await db.Documents.AsNoTracking().Include(d => d.Lines).SingleAsync(d => d.Id == id, ct);
        return TypedResults.Ok(DocumentDto.From(document, PaymentDtos.Today(clock), true));
    }
}

/// <summary>The claim reasons as the API writes them.</summary>
public static class ClaimCodes
{
    public static string Code(DocumentClaim claim) => claim switch
    {
        DocumentClaim.Contenido => "contenido",
        DocumentClaim.FaltaParcial => "falta-parcial",
        DocumentClaim.FaltaTotal => "falta-total",
        _ => claim.ToString(),
    };

    public static DocumentClaim? Parse(string code) =>
        Enum.GetValues<DocumentClaim>().Cast<DocumentClaim?>().FirstOrDefault(c => string.Equals(Code(c!.Value), code.Trim(), StringComparison.OrdinalIgnoreCase));
}
