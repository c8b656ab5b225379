using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Abono.Web.Features.Api;

/// <summary>
/// The OpenAPI document behind /api/docs, written for the people who connect their ERP: in Spanish, with what each
/// field means and an example in Chilean formats (whole pesos, RUT with dots and dash, dates yyyy-MM-dd). Summaries of
/// each operation are next to its route (ApiEndpoints, CessionEndpoints, DocumentXmlEndpoint); the words for fields,
/// parameters and answers shared by several operations are here, in one place.
/// </summary>
internal static class ApiReference
{
    public const string CustomersTag = "Clientes";
    public const string DocumentsTag = "Documentos";
    public const string CessionsTag = "Cesiones y reclamos";
    public const string PaymentsTag = "Pagos";

    /// <summary>A valid RUT in the format people write it (the check digit of 76.123.456 is 0).</summary>
    public const string ExampleRut = "76.123.456-0";

    private const string SecurityScheme = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        // Only the public API: whatever else the app maps (the Pasarela de prueba and its return, providers' webhooks,
        // health checks) is internal and stays out of the reference, whether or not it is marked.
        var byGroup = options.ShouldInclude;
        options.ShouldInclude = d => byGroup(d) && IsPublicApi(d.RelativePath);
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeOperationAsync);
        options.AddSchemaTransformer(DescribeSchemaAsync);
    }

    public static bool IsPublicApi(string? relativePath) =>
        relativePath is not null && relativePath.StartsWith("api/v1/", StringComparison.Ordinal);

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "API de Abono",
            Version = "v1",
            Description = """
                Conecta tu ERP o sistema de facturación con Abono: clientes, documentos, deudas, pagos y enlaces del Portal de pagos.

                - **Autenticación:** envía `Authorization: Bearer abk_…` con una clave de Configuración → API. Las claves de *solo lectura* consultan; las de *lectura y escritura* también crean.
                - **Montos:** en pesos chilenos (CLP), enteros y sin decimales: `119000` son $119.000.
                - **RUT:** con puntos y guion, como `76.123.456-0`; al enviarlo se acepta también sin puntos (`76123456-0`) o sin guion.
                - **Fechas:** `yyyy-MM-dd` (día en Chile); fechas con hora en UTC (ISO 8601).
                - **Páginas:** los listados traen `items` y `nextCursor`; pide la siguiente con `cursor=<nextCursor>` hasta que llegue `null`.
                - **Reintentos seguros:** en cada POST puedes enviar `Idempotency-Key`; repetir la solicitud con la misma clave no crea nada dos veces.
                - **Errores:** en formato Problem Details (`application/problem+json`), con el mensaje en español y, en los datos no válidos, el problema de cada campo en `errors`.
                """,
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = CustomersTag, Description = "Tus clientes: búsqueda, alta, sus documentos adeudados y su enlace de pago del portal." },
            new() { Name = DocumentsTag, Description = "Facturas, boletas y notas: emitirlas, consultarlas, anularlas o importarlas desde el XML del SII." },
            new() { Name = CessionsTag, Description = "Facturas cedidas a un factoring y reclamos del comprador: mientras duran, la factura no se cobra en el portal." },
            new() { Name = PaymentsTag, Description = "Los pagos recibidos (portal, transferencias confirmadas) y a qué documentos se aplicaron." },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "abk_…",
            Description = "La clave de API de Configuración → API, en la cabecera Authorization: Bearer abk_…",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] }];
        // A nullable object property ({"oneOf": [null, $ref]}) is built after the schema transformers ran: describe it here.
        foreach (var (name, component) in document.Components.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            var type = Types.Keys.FirstOrDefault(t => t.Name == name);
            foreach (var (property, schema) in component.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (type is not null && schema is OpenApiSchema { Description: null } concrete && Fields.TryGetValue((type, property), out var about))
                {
                    concrete.Description = about.Description;
                }
            }
        }
        return Task.CompletedTask;
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var path = context.Description.RelativePath ?? "";
        var write = string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (Parameter(parameter.Name, path) is { } about)
            {
                parameter.Description = about.Description;
                parameter.Example = about.Example;
                if (about.Values is { } values && parameter.Schema is OpenApiSchema schema)
                {
                    schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                }
            }
        }
        if (write)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Opcional. Un valor único por operación (hasta 100 caracteres, por ejemplo un UUID). Si repites la solicitud con la misma clave y el mismo cuerpo dentro de 24 horas, recibes la respuesta de la primera vez y nada se crea dos veces.",
                Example = JsonValue.Create("9f2c4e1a-7b3d-4c8e-a1f0-5d6b7c8e9a01"),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
            });
        }
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse());
        if (write)
        {
            operation.Responses.TryAdd("403", new OpenApiResponse());
            operation.Responses.TryAdd("422", new OpenApiResponse());
        }
        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && Responses.TryGetValue(status, out var text))
            {
                concrete.Description = text;
            }
        }
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> Responses = new()
    {
        ["200"] = "Listo.",
        ["201"] = "Creado: la respuesta trae lo creado, y la cabecera Location su dirección.",
        ["400"] = "Los datos no son válidos: `errors` dice, en español, qué corregir en cada campo.",
        ["401"] = "Falta una API key válida (Authorization: Bearer abk_…).",
        ["403"] = "La API key es de solo lectura: para escribir, crea una de lectura y escritura.",
        ["404"] = "No existe, o es de otra empresa.",
        ["409"] = "No se puede en el estado actual (el título lo explica), o la misma Idempotency-Key aún se está procesando.",
        ["413"] = "La solicitud supera el tamaño máximo.",
        ["415"] = "Tipo de contenido no admitido (Content-Type).",
        ["422"] = "Esa Idempotency-Key ya se usó con otro cuerpo.",
    };

    private sealed record About(string Description, JsonNode? Example, string[]? Values = null);

    private static About? Parameter(string? name, string path) => name switch
    {
        "id" when path.StartsWith("api/v1/customers", StringComparison.Ordinal) => new("Id del cliente en Abono.", 42),
        "id" => new("Id del documento en Abono.", 1001),
        "search" => new("RUT (con o sin puntos y guion) o parte del nombre; no importan tildes ni mayúsculas: «dona rosa» encuentra «Doña Rosa».", "dona rosa"),
        "cursor" => new("El `nextCursor` de la página anterior; sin él, la primera página.", 50),
        "limit" => new("Resultados por página, de 1 a 100 (50 si lo omites).", 50),
        "customerId" => new("Solo los documentos de este cliente.", 42),
        "status" => new("pendiente (por vencer), vencido o pagado.", "vencido", ["pendiente", "vencido", "pagado"]),
        _ => null,
    };

    private static Task DescribeSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // Numbers are documented as numbers: the server also reads "42" for 42, but no client should count on it.
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Integer) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        if (context.JsonPropertyInfo is { } property)
        {
            var owner = property.DeclaringType.IsGenericType ? property.DeclaringType.GetGenericTypeDefinition() : property.DeclaringType;
            if (Fields.TryGetValue((owner, property.Name), out var about))
            {
                schema.Description = about.Description;
                // OpenAPI 3.1 gives schemas a list of examples (Swagger UI builds its sample bodies from the first).
                schema.Examples = about.Example is null ? null : [about.Example];
            }
        }
        else if (Types.TryGetValue(context.JsonTypeInfo.Type, out var described))
        {
            schema.Description = described.Description;
            if (described.Required is { } required)
            {
                // Records list every field as required; a request needs only these (the rest may be left out).
                schema.Required = new HashSet<string>(required);
            }
        }
        return Task.CompletedTask;
    }

    private static readonly Dictionary<Type, (string Description, string[]? Required)> Types = new()
    {
        [typeof(CustomerDto)] = ("Un cliente de tu empresa.", null),
        [typeof(CustomerRequest)] = ("Un cliente nuevo. Para emitirle documentos a crédito necesita correo y teléfono válidos: a ellos llega su enlace de pago.", ["rut", "name"]),
        [typeof(DocumentDto)] = ("Un documento tributario con su saldo. Montos en pesos chilenos (CLP), enteros.", null),
        [typeof(DocumentLineDto)] = ("Una línea del documento.", null),
        [typeof(DocumentRequest)] = ("Un documento por emitir. Indica `paymentForm` para todo el total, o `amounts` por forma de pago.", ["type", "lines"]),
        [typeof(DocumentLineRequest)] = ("Una línea: un producto del catálogo (`productId`) o descripción, cantidad y precio unitario neto.", []),
        [typeof(PaymentDto)] = ("Un pago recibido y a qué documentos se aplicó.", null),
        [typeof(AllocationDto)] = ("La parte de un pago aplicada a un documento.", null),
        [typeof(PortalLinkDto)] = ("El enlace de pago de un cliente: abre sus documentos pendientes sin que tenga que identificarse.", null),
        [typeof(CessionDto)] = ("A quién está cedida la factura ahora.", null),
        [typeof(ClaimDto)] = ("El reclamo del comprador sobre la factura.", null),
        [typeof(CessionRequest)] = ("Una cesión de la factura a un factoring (como en el AEC).", ["cessionaryRut", "cessionaryName"]),
        [typeof(CessionRevertRequest)] = ("Deshacer la última cesión registrada.", []),
        [typeof(ClaimRequest)] = ("Un reclamo del comprador.", []),
        [typeof(DteImportResponse)] = ("Qué se importó de cada archivo y qué clientes quedaron sin correo o teléfono.", null),
        [typeof(DteCustomerToCompleteDto)] = ("Un cliente creado por la importación al que le falta correo o teléfono para cobrarle en el portal.", null),
    };

    private static readonly Dictionary<(Type, string), About> Fields = new()
    {
        [(typeof(CustomerDto), "id")] = new("Id del cliente en Abono.", 42),
        [(typeof(CustomerDto), "rut")] = new("RUT con puntos y guion.", ExampleRut),
        [(typeof(CustomerDto), "name")] = new("Nombre o razón social.", "Almacén Doña Rosa Ltda."),
        [(typeof(CustomerDto), "email")] = new("Correo electrónico: ahí llegan su enlace de pago y sus comprobantes.", "pagos@donarosa.cl"),
        [(typeof(CustomerDto), "phone")] = new("Teléfono en formato internacional (E.164).", "+56912345678"),
        [(typeof(CustomerDto), "address")] = new("Dirección.", "Av. Providencia 1234, Providencia"),
        [(typeof(CustomerDto), "creditDays")] = new("Días de crédito: un documento a crédito vence su emisión más estos días.", 30),

        [(typeof(CustomerRequest), "rut")] = new("RUT del cliente, con o sin puntos y guion (obligatorio y único en tu empresa).", ExampleRut),
        [(typeof(CustomerRequest), "name")] = new("Nombre o razón social (obligatorio).", "Almacén Doña Rosa Ltda."),
        [(typeof(CustomerRequest), "email")] = new("Correo electrónico.", "pagos@donarosa.cl"),
        [(typeof(CustomerRequest), "phone")] = new("Teléfono chileno como se escriba (+56 9 1234 5678, 912345678, (2) 2345 6789…); se guarda como +56912345678.", "+56 9 1234 5678"),
        [(typeof(CustomerRequest), "address")] = new("Dirección.", "Av. Providencia 1234, Providencia"),
        [(typeof(CustomerRequest), "creditDays")] = new("Días de crédito, de 0 a 365.", 30),

        [(typeof(DocumentDto), "id")] = new("Id del documento en Abono.", 1001),
        [(typeof(DocumentDto), "type")] = new("Código SII del tipo: 33 factura, 34 factura exenta, 39 boleta, 41 boleta exenta, 56 nota de débito, 61 nota de crédito.", 33),
        [(typeof(DocumentDto), "typeName")] = new("Nombre del tipo de documento.", "Factura electrónica"),
        [(typeof(DocumentDto), "folio")] = new("Folio del documento.", 1234),
        [(typeof(DocumentDto), "customerId")] = new("Id del cliente; null en una boleta sin cliente.", 42),
        [(typeof(DocumentDto), "issueDate")] = new("Fecha de emisión.", "2026-11-30"),
        [(typeof(DocumentDto), "dueDate")] = new("Fecha de vencimiento.", "2026-12-30"),
        [(typeof(DocumentDto), "net")] = new("Monto neto afecto, en pesos.", 100000),
        [(typeof(DocumentDto), "exempt")] = new("Monto exento, en pesos.", 0),
        [(typeof(DocumentDto), "tax")] = new("IVA (19 % del neto), en pesos.", 19000),
        [(typeof(DocumentDto), "total")] = new("Total, en pesos.", 119000),
        [(typeof(DocumentDto), "balance")] = new("Saldo por pagar, en pesos.", 119000),
        [(typeof(DocumentDto), "status")] = new("pendiente (por vencer), vencido o pagado.", "pendiente"),
        [(typeof(DocumentDto), "referenceDocumentId")] = new("El documento al que se refiere (en una nota de crédito, la factura que corrige).", null),
        [(typeof(DocumentDto), "collectible")] = new("False mientras la factura está cedida o reclamada: no se cobra en el portal ni figura como adeudada.", true),

        [(typeof(DocumentDto), "lines")] = new("Sus líneas: vienen al ver o crear un documento, no en los listados.", null),
        [(typeof(DocumentDto), "cession")] = new("A quién está cedida la factura; null si no está cedida.", null),
        [(typeof(DocumentDto), "claim")] = new("El reclamo del comprador; null si no tiene.", null),

        [(typeof(DocumentLineDto), "lineNumber")] = new("Número de la línea.", 1),
        [(typeof(DocumentLineDto), "description")] = new("Descripción.", "Asesoría contable noviembre"),
        [(typeof(DocumentLineDto), "quantity")] = new("Cantidad.", 1),
        [(typeof(DocumentLineDto), "unitPrice")] = new("Precio unitario neto, en pesos.", 100000),
        [(typeof(DocumentLineDto), "isExempt")] = new("True si la línea está exenta de IVA.", false),
        [(typeof(DocumentLineDto), "amount")] = new("Monto de la línea (cantidad × precio), en pesos.", 100000),

        [(typeof(DocumentRequest), "type")] = new("Código SII del tipo: 33 factura, 34 factura exenta, 39 boleta, 41 boleta exenta, 56 nota de débito, 61 nota de crédito.", 33),
        [(typeof(DocumentRequest), "customerId")] = new("Id del cliente. A crédito es obligatorio, y el cliente debe tener correo y teléfono válidos.", 42),
        [(typeof(DocumentRequest), "issueDate")] = new("Fecha de emisión; hoy si la omites.", "2026-11-30"),
        [(typeof(DocumentRequest), "dueDate")] = new("Vencimiento; si lo omites, la emisión más los días de crédito del cliente.", "2026-12-30"),
        [(typeof(DocumentRequest), "paymentForm")] = new("Forma de pago de todo el total: efectivo, tarjeta, transferencia o credito.", "credito"),
        [(typeof(DocumentRequest), "amounts")] = new("Cuánto se paga con cada forma de pago cuando son varias (en vez de paymentForm), con montos enteros en CLP.", new JsonObject { ["efectivo"] = 50000, ["credito"] = 69000 }),
        [(typeof(DocumentRequest), "referenceDocumentId")] = new("En una nota de crédito o débito: el documento que corrige.", null),
        [(typeof(DocumentRequest), "referenceReason")] = new("En una nota: la razón de la referencia.", "Anula documento"),

        [(typeof(DocumentRequest), "lines")] = new("Las líneas del documento (al menos una).", null),

        [(typeof(DocumentLineRequest), "productId")] = new("Un producto del catálogo: completa descripción y precio si los omites.", null),
        [(typeof(DocumentLineRequest), "description")] = new("Descripción.", "Asesoría contable noviembre"),
        [(typeof(DocumentLineRequest), "quantity")] = new("Cantidad.", 1),
        [(typeof(DocumentLineRequest), "unitPrice")] = new("Precio unitario neto, en pesos enteros (sin IVA).", 100000),
        [(typeof(DocumentLineRequest), "isExempt")] = new("True si la línea está exenta de IVA.", false),

        [(typeof(PaymentDto), "id")] = new("Id del pago.", 7),
        [(typeof(PaymentDto), "paidAt")] = new("Fecha y hora del pago (UTC).", "2026-11-30T14:05:00Z"),
        [(typeof(PaymentDto), "customerId")] = new("Id del cliente que pagó.", 42),
        [(typeof(PaymentDto), "method")] = new("Medio de pago.", "Webpay Plus"),
        [(typeof(PaymentDto), "gatewayReference")] = new("Referencia del pago en el medio de pago (orden de compra, id de transacción).", "ABN-7-1a2b3c"),
        [(typeof(PaymentDto), "amount")] = new("Monto pagado, en pesos.", 119000),
        [(typeof(PaymentDto), "creditAmount")] = new("Parte del pago que quedó como saldo a favor del cliente, en pesos.", 0),
        [(typeof(PaymentDto), "status")] = new("confirmado o reembolsado.", "confirmado"),

        [(typeof(PaymentDto), "allocations")] = new("A qué documentos se aplicó el pago, y cuánto a cada uno.", null),

        [(typeof(AllocationDto), "documentId")] = new("Id del documento pagado.", 1001),
        [(typeof(AllocationDto), "amount")] = new("Monto aplicado a ese documento, en pesos.", 119000),

        [(typeof(PortalLinkDto), "url")] = new("El enlace para enviar al cliente.", "https://pagos.abono.example/portal/c/k3J9xQ2mP7vR4tW8"),
        [(typeof(PortalLinkDto), "expiresAt")] = new("Cuándo vence (UTC); null si no vence.", null),

        [(typeof(Page<>), "items")] = new("Los resultados de esta página.", null),
        [(typeof(Page<>), "nextCursor")] = new("Para la página siguiente, envíalo como `cursor`; null en la última.", "50"),

        [(typeof(CessionDto), "cessionaryRut")] = new("RUT del cesionario (el factoring).", "96.667.560-8"),
        [(typeof(CessionDto), "cessionaryName")] = new("Razón social del cesionario.", "Factoring Demo SpA"),
        [(typeof(CessionDto), "cededOn")] = new("Fecha de la cesión.", "2026-12-02"),
        [(typeof(ClaimDto), "reason")] = new("contenido, falta-parcial o falta-total.", "contenido"),
        [(typeof(ClaimDto), "claimedAt")] = new("Cuándo se registró el reclamo (UTC).", "2026-12-03T10:00:00Z"),
        [(typeof(ClaimDto), "note")] = new("Nota del reclamo.", "Mercadería dañada"),

        [(typeof(CessionRequest), "cessionaryRut")] = new("RUT del cesionario, con o sin puntos y guion.", "96.667.560-8"),
        [(typeof(CessionRequest), "cessionaryName")] = new("Razón social del cesionario.", "Factoring Demo SpA"),
        [(typeof(CessionRequest), "cededOn")] = new("Fecha de la cesión; hoy si la omites.", "2026-12-02"),
        [(typeof(CessionRequest), "amount")] = new("Monto cedido en pesos (a lo más el total de la factura).", 119000),
        [(typeof(CessionRequest), "sequence")] = new("SeqCesion del AEC: reenviar la misma no cambia nada. Sin ella, la siguiente.", 1),
        [(typeof(CessionRequest), "note")] = new("Nota interna.", "Cesión a Factoring Demo"),
        [(typeof(CessionRevertRequest), "note")] = new("Por qué se deshace.", "El factoring rechazó la operación"),
        [(typeof(ClaimRequest), "reason")] = new("contenido, falta-parcial o falta-total.", "falta-parcial"),
        [(typeof(ClaimRequest), "note")] = new("Nota del reclamo.", "Faltaron 2 cajas"),

        [(typeof(DteImportResponse), "files")] = new("Archivos recibidos.", 1),
        [(typeof(DteImportResponse), "imported")] = new("Documentos importados.", 3),
        [(typeof(DteImportResponse), "alreadyImported")] = new("Documentos que ya estaban (no se crean de nuevo).", 0),
        [(typeof(DteImportResponse), "conflicts")] = new("Documentos con el mismo folio pero otro contenido (no se tocan).", 0),
        [(typeof(DteImportResponse), "refused")] = new("Documentos rechazados (el motivo va en results).", 0),
        [(typeof(DteImportResponse), "results")] = new("El resultado de cada archivo.", null),
        [(typeof(DteImportResponse), "customersToComplete")] = new("Clientes creados por la importación a los que les falta correo o teléfono.", null),
        [(typeof(DteFileResultDto), "fileName")] = new("Nombre del archivo.", "DTE_33_1234.xml"),
        [(typeof(DteFileResultDto), "kind")] = new("Qué contenía: DTE, EnvioDTE o AEC.", "EnvioDTE"),
        [(typeof(DteFileResultDto), "errors")] = new("Por qué no se pudo leer el archivo.", null),
        [(typeof(DteFileResultDto), "warnings")] = new("Advertencias sobre el archivo (por ejemplo, una firma que no se pudo verificar).", null),
        [(typeof(DteFileResultDto), "documents")] = new("Cada documento del archivo.", null),
        [(typeof(DteFileResultDto), "cessions")] = new("Las cesiones que traía un AEC.", null),
        [(typeof(DteDocumentResultDto), "label")] = new("El documento, como lo muestra Abono.", "Factura electrónica N° 1234"),
        [(typeof(DteDocumentResultDto), "outcome")] = new("importado, ya_importado, conflicto o rechazado.", "importado"),
        [(typeof(DteDocumentResultDto), "documentId")] = new("Id del documento en Abono; null si no se importó.", 1001),
        [(typeof(DteDocumentResultDto), "message")] = new("Qué pasó con este documento.", "Importado."),
        [(typeof(DteDocumentResultDto), "errors")] = new("Por qué se rechazó.", null),
        [(typeof(DteDocumentResultDto), "warnings")] = new("Advertencias.", null),
        [(typeof(DteDocumentResultDto), "notes")] = new("Notas (por ejemplo, a qué factura se aplicó una nota de crédito).", null),
        [(typeof(DteDocumentResultDto), "unappliedCredit")] = new("En una nota de crédito: lo que no se pudo aplicar a la factura, en pesos.", 0),
        [(typeof(DteCustomerToCompleteDto), "customerId")] = new("Id del cliente en Abono.", 42),
        [(typeof(DteCustomerToCompleteDto), "rut")] = new("RUT del cliente, con puntos y guion.", ExampleRut),
        [(typeof(DteCustomerToCompleteDto), "name")] = new("Nombre o razón social.", "Almacén Doña Rosa Ltda."),
        [(typeof(DteCustomerToCompleteDto), "missingEmail")] = new("True si le falta el correo.", true),
        [(typeof(DteCustomerToCompleteDto), "missingPhone")] = new("True si le falta el teléfono.", false),

        // Every error answer (Problem Details, RFC 9457).
        [(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "type")] = new("Referencia del tipo de error.", "https://tools.ietf.org/html/rfc9110#section-15.5.1"),
        [(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "title")] = new("Qué pasó, en español.", "Los datos no son válidos."),
        [(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "status")] = new("El código HTTP de la respuesta.", 400),
        [(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "detail")] = new("Más detalle, cuando lo hay.", null),
        [(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "instance")] = new("La solicitud que falló.", null),
        [(typeof(HttpValidationProblemDetails), "errors")] = new("Por campo, qué corregir.", new JsonObject { ["Rut"] = new JsonArray("El dígito verificador del RUT no es correcto.") }),
    };
}
