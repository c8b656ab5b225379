using Abono.Web.Data;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Api;

/// <summary>/api/v1: customers, documents, owed documents, payments and portal links, for the business's own systems.</summary>
public static class ApiEndpoints
{
    private const int MaxLimit = 100;

    /// <summary>The endpoints: reads on <paramref name="api"/>, writes (idempotent, write scope) on <paramref name="write"/>.</summary>
    internal static void Map(RouteGroupBuilder api, RouteGroupBuilder write)
    {
        // What /api/docs shows for each operation (ApiReference adds the fields', parameters' and answers' words).
        api.MapGet("/customers", ListCustomersAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Listar clientes")
            .WithDescription("Tus clientes, por orden de creación, de a páginas. Con `search` filtra por RUT (con o sin puntos y guion) o por parte del nombre, sin importar tildes ni mayúsculas.");
        api.MapGet("/customers/{id:long}", GetCustomerAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Ver un cliente");
        write.MapPost("/customers", CreateCustomerAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Crear un cliente")
            .WithDescription("Crea un cliente con su RUT (único en tu empresa) y nombre. Para emitirle documentos a crédito, incluye un correo y un teléfono válidos: a ellos llega su enlace de pago.");
        api.MapGet("/customers/{id:long}/owed-documents", OwedDocumentsAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Documentos adeudados de un cliente")
            .WithDescription("Lo que el cliente te debe y puedes cobrar, del vencimiento más antiguo al más nuevo. No incluye facturas cedidas ni reclamadas.");
        api.MapGet("/customers/{id:long}/portal-link", PortalLinkAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Enlace de pago del cliente")
            .WithDescription("El enlace del Portal de pagos que abre directamente los documentos pendientes del cliente, sin que tenga que identificarse. Se crea la primera vez que lo pides. Necesita el Portal de pagos contratado (si no, 409).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPost("/customers/{id:long}/portal-link/regenerate", RegeneratePortalLinkAsync).WithTags(ApiReference.CustomersTag)
            .WithSummary("Regenerar el enlace de pago del cliente")
            .WithDescription("Crea un enlace nuevo; el anterior deja de funcionar de inmediato.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/documents", ListDocumentsAsync).WithTags(ApiReference.DocumentsTag)
            .WithSummary("Listar documentos")
            .WithDescription("Tus documentos, por orden de emisión en Abono, de a páginas; puedes filtrar por cliente y por estado.");
        api.MapGet("/documents/{id:long}", GetDocumentAsync).WithTags(ApiReference.DocumentsTag)
            .WithSummary("Ver un documento")
            .WithDescription("El documento con sus líneas, su saldo y, si tiene, su cesión o su reclamo.");
        write.MapPost("/documents", CreateDocumentAsync).WithTags(ApiReference.DocumentsTag)
            .WithSummary("Emitir un documento")
            .WithDescription("Emite una factura, boleta o nota con el siguiente folio. Los precios son netos y en pesos enteros; Abono calcula el IVA y el total. Con forma de pago `credito` el total queda como deuda del cliente, cobrable en el Portal de pagos.");
        write.MapPost("/documents/{id:long}/void", VoidDocumentAsync).WithTags(ApiReference.DocumentsTag)
            .WithSummary("Anular un documento")
            .WithDescription("Emite una nota de crédito por todo el documento. Solo para documentos a crédito sin pagos ni notas aplicadas (si no, 409).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        DocumentXmlEndpoint.Map(write);
        api.MapGet("/payments", ListPaymentsAsync).WithTags(ApiReference.PaymentsTag)
            .WithSummary("Listar pagos")
            .WithDescription("Los pagos recibidos, por orden de llegada, de a páginas, con los documentos a los que se aplicó cada uno.");
    }

    private static ValidationProblem Invalid(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "Los datos no son válidos.");

    private static async Task<Ok<Page<CustomerDto>>> ListCustomersAsync(AbonoDbContext db, string? search, long? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, MaxLimit);
        var query = db.Customers.AsNoTracking().Where(c => c.Id > (cursor ?? 0));
        if (!string.IsNullOrWhiteSpace(search))
        {
            var ids = CustomerSearch.MatchingIds(db, search.Trim()[..Math.Min(100, search.Trim().Length)]);
            query = query.Where(c => ids.Contains(c.Id));
        }
        var items = await query.OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<CustomerDto>(items.Take(take).Select(CustomerDto.From).ToList(), items.Count > take ? items[take - 1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<CustomerDto>, NotFound>> GetCustomerAsync(long id, AbonoDbContext db, CancellationToken ct) =>
        await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } c ? TypedResults.Ok(CustomerDto.From(c)) : TypedResults.NotFound();

    private static async Task<Results<Created<CustomerDto>, ValidationProblem>> CreateCustomerAsync(CustomerRequest request, AbonoDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var customer = new Customer { Rut = "", Name = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
        var input = new CustomerInput
        {
            Rut = request.Rut, Name = request.Name, Email = request.Email, Phone = request.Phone, Address = request.Address, CreditDays = request.CreditDays,
        };
        var errors = input.ApplyTo(customer);
        if (!errors.Any && await db.Customers.AnyAsync(c => c.Rut == customer.Rut, ct))
        {
            errors.Add(nameof(CustomerInput.Rut), "Ya existe un cliente con ese RUT.");
        }
        if (errors.Any)
        {
            return Invalid(errors);
        }
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return Invalid(new FieldErrors().Add(nameof(CustomerInput.Rut), "Ya existe un cliente con ese RUT."));
        }
        return TypedResults.Created($"/api/v1/customers/{customer.Id}", CustomerDto.From(customer));
    }

    private static async Task<Results<Ok<IReadOnlyList<DocumentDto>>, NotFound>> OwedDocumentsAsync(long id, AbonoDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var today = PaymentDtos.Today(clock);
        // What the business may collect: ceded and claimed facturas are not owed to it (see GET /documents/{id} for their state).
        var documents = await db.Documents.AsNoTracking().Where(d => d.CustomerId == id && d.Balance > 0 && d.Type != DocumentType.NotaCredito)
            .Where(DocumentCollection.Collectible)
            .OrderBy(d => d.DueDate).ThenBy(d => d.Id).Take(1000).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<DocumentDto>>(documents.Select(d => DocumentDto.From(d, today, false)).ToList());
    }

    private static async Task<Results<Ok<PortalLinkDto>, NotFound, ProblemHttpResult>> PortalLinkAsync(long id, AbonoDbContext db, CustomerPortalLinks links, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        if (!await db.PortalConfigurations.AnyAsync(ct))
        {
            return TypedResults.Problem(title: "El Portal de pagos no está contratado.", statusCode: 409);
        }
        var (token, expires) = await links.CurrentOrNewAsync(id, ct);
        return TypedResults.Ok(new PortalLinkDto(links.Url(token), expires));
    }

    private static async Task<Results<Ok<PortalLinkDto>, NotFound, ProblemHttpResult>> RegeneratePortalLinkAsync(long id, AbonoDbContext db, CustomerPortalLinks links, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        if (!await db.PortalConfigurations.AnyAsync(ct))
        {
            return TypedResults.Problem(title: "El Portal de pagos no está contratado.", statusCode: 409);
        }
        var (token, expires) = await links.RegenerateAsync(id, ct);
        return TypedResults.Ok(new PortalLinkDto(links.Url(token), expires));
    }

    private static async Task<Ok<Page<DocumentDto>>> ListDocumentsAsync(AbonoDbContext db, TimeProvider clock, long? customerId, string? status, long? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, MaxLimit);
        var today = PaymentDtos.Today(clock);
        var query = db.Documents.AsNoTracking().Where(d => d.Id > (cursor ?? 0));
        if (customerId is { } cid) { query = query.Where(d => d.CustomerId == cid); }
        query = status switch
        {
            "pagado" => query.Where(d => d.Balance == 0),
            "pendiente" => query.Where(d => d.Balance > 0 && d.DueDate >= today),
            "vencido" => query.Where(d => d.Balance > 0 && d.DueDate < today),
            _ => query,
        };
        var items = await query.OrderBy(d => d.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<DocumentDto>(items.Take(take).Select(d => DocumentDto.From(d, today, false)).ToList(), items.Count > take ? items[take - 1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound>> GetDocumentAsync(long id, AbonoDbContext db, TimeProvider clock, CancellationToken ct) =>
        await db.Documents.AsNoTracking().Include(d => d.Lines).SingleOrDefaultAsync(d => d.Id == id, ct) is { } d
            ? TypedResults.Ok(DocumentDto.From(d, PaymentDtos.Today(clock), true))
            : TypedResults.NotFound();

    private static async Task<Results<Created<DocumentDto>, ValidationProblem>> CreateDocumentAsync(DocumentRequest request, DocumentIssuer issuer, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        PaymentForm? single = null;
        if (request.PaymentForm is { } form)
        {
            if (Enum.TryParse<PaymentForm>(form, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(form, out _))
            {
                single = parsed;
            }
            else
            {
                errors.Add(nameof(request.PaymentForm), "Usa efectivo, tarjeta, transferencia o credito.");
            }
        }
        var amounts = new Dictionary<PaymentForm, long?>();
        foreach (var (key, value) in request.Amounts ?? [])
        {
            if (Enum.TryParse<PaymentForm>(key, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(key, out _))
            {
                amounts[parsed] = value;
            }
            else
            {
                errors.Add($"Amounts[{key}]", "Forma de pago desconocida.");
            }
        }
        if (errors.Any)
        {
            return Invalid(errors);
        }
        var command = new IssueDocumentCommand
        {
            Type = request.Type,
            CustomerId = request.CustomerId,
            IssueDate = request.IssueDate ?? PaymentDtos.Today(clock),
            DueDate = request.DueDate,
            Lines = (request.Lines ?? []).Select(l => new IssueLine { ProductId = l.ProductId, Description = l.Description, Quantity = l.Quantity, UnitPrice = l.UnitPrice, IsExempt = l.IsExempt }).ToList(),
            SinglePaymentForm = single,
            Amounts = amounts,
            ReferenceDocumentId = request.ReferenceDocumentId,
            ReferenceReason = request.ReferenceReason,
            Origin = DocumentOrigin.Documentos,
        };
        var (document, issueErrors) = await issuer.IssueAsync(command, ct);
        return document is null
            ? Invalid(issueErrors)
            : TypedResults.Created($"/api/v1/documents/{document.Id}", DocumentDto.From(document, PaymentDtos.Today(clock), true));
    }

    /// <summary>Voiding a document issued on record means a nota de crédito for all of it; only while nothing was paid.</summary>
    private static async Task<Results<Created<DocumentDto>, NotFound, ProblemHttpResult, ValidationProblem>> VoidDocumentAsync(long id, AbonoDbContext db, DocumentIssuer issuer, TimeProvider clock, CancellationToken ct)
    {
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (document is null)
        {
            return TypedResults.NotFound();
        }
        if (document.Type == DocumentType.NotaCredito || document.Balance != document.Total || document.Balance == 0)
        {
            return TypedResults.Problem(title: "Solo se anulan documentos a crédito sin pagos ni notas aplicadas.", statusCode: 409);
        }
        // The note's net price is chosen so that its total (with IVA when it applies) equals the balance exactly.
        var (note, errors) = await issuer.IssueAsync(new IssueDocumentCommand
        {
            Type = (int)DocumentType.NotaCredito,
            ReferenceDocumentId = id,
            IssueDate = PaymentDtos.Today(clock),
            ReferenceReason = "Anula documento",
            Lines = new[]
            {
                (Amount: document.Net, Exempt: false, Text: "Anulación"),
                (Amount: document.Exempt, Exempt: true, Text: "Anulación exenta"),
            }.Where(l => l.Amount > 0).Select(l => new IssueLine { Description = l.Text, Quantity = 1, UnitPrice = l.Amount, IsExempt = l.Exempt }).ToList(),
        }, ct);
        return note is null ? Invalid(errors) : TypedResults.Created($"/api/v1/documents/{note.Id}", DocumentDto.From(note, PaymentDtos.Today(clock), true));
    }

    private static async Task<Ok<Page<PaymentDto>>> ListPaymentsAsync(AbonoDbContext db, long? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, MaxLimit);
        var items = await db.Payments.AsNoTracking().Include(p => p.Allocations).Where(p => p.Id > (cursor ?? 0))
            .OrderBy(p => p.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<PaymentDto>(items.Take(take).Select(PaymentDtos.From).ToList(), items.Count > take ? items[take - 1].Id.ToString() : null));
    }
}
