using Abono.Web.Features.Documents.Import;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Abono.Web.Features.Api;

// What POST /api/v1/documents/xml answers: per file and per document, as the screen shows it.

public sealed record DteDocumentResultDto(string Label, string Outcome, long? DocumentId, string Message, IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> Notes, long UnappliedCredit);

public sealed record DteFileResultDto(string FileName, string Kind, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings,
    IReadOnlyList<DteDocumentResultDto> Documents, IReadOnlyList<string> Cessions);

public sealed record DteCustomerToCompleteDto(long CustomerId, string Rut, string Name, bool MissingEmail, bool MissingPhone);

public sealed record DteImportResponse(int Files, int Imported, int AlreadyImported, int Conflicts, int Refused, IReadOnlyList<DteFileResultDto> Results,
    IReadOnlyList<DteCustomerToCompleteDto> CustomersToComplete)
{
    public static DteImportResponse From(DteImportReport r) => new(r.Files.Count, r.Imported, r.AlreadyImported, r.Conflicts, r.Refused,
        r.Files.Select(f => new DteFileResultDto(f.FileName, f.Kind, f.Errors, f.Warnings, f.Documents.Select(d => new DteDocumentResultDto(d.Label,
            d.Outcome switch
            {
                DteImportOutcome.Imported => "importado",
                DteImportOutcome.AlreadyImported => "ya_importado",
                DteImportOutcome.Conflict => "conflicto",
                _ => "rechazado",
            }, d.DocumentId, d.Message, d.Errors, d.Warnings, d.Notes, d.UnappliedCredit)).ToList(), f.Cessions)).ToList(),
        r.CustomersToComplete.Select(c => new DteCustomerToCompleteDto(c.CustomerId, c.RutFormatted, c.Name, c.MissingEmail, c.MissingPhone)).ToList());
}

/// <summary>
/// POST /api/v1/documents/xml: a DTE, EnvioDTE or AEC as the raw body (application/xml, text/xml; a .zip as
/// application/zip), or files as multipart/form-data. Idempotent by nature (the same file again is "ya_importado"
/// and creates nothing) and through Idempotency-Key like every write. Its body limit is its own, larger than the
/// API's 1 MB for JSON: a .zip of a month of DTEs is tens of megabytes.
/// </summary>
internal static class DocumentXmlEndpoint
{
    public const string Path = "/documents/xml";
    public const long MaxBytes = 50L * 1024 * 1024;

    private static readonly string[] RawTypes = ["application/xml", "text/xml", "application/zip", "application/x-zip-compressed"];

    public static void Map(RouteGroupBuilder write) =>
        write.MapPost(Path, ImportAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBytes))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxBytes })
            // No Accepts metadata: routing would answer other content types with its own English 415 before us.
            .WithTags(ApiReference.DocumentsTag)
            .WithSummary("Importar documentos desde el XML del SII")
            .WithDescription("Importa DTE, EnvioDTE o AEC en XML (application/xml, text/xml), un .zip (application/zip) o archivos multipart/form-data, hasta 50 MB. El mismo archivo otra vez no crea nada: sus documentos vuelven como ya_importado.")
            .Produces<DteImportResponse>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);

    /// <summary>The API's 1 MB check before binding lets this path through: this endpoint measures its own body.</summary>
    public static bool IsPath(PathString path) => path.StartsWithSegments("/api/v1" + Path);

    private static async Task<Results<Ok<DteImportResponse>, ProblemHttpResult>> ImportAsync(HttpRequest request, DteImporter importer, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }
        List<DteImportFile> files;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return e is BadHttpRequestException { StatusCode: 413 } ? TooLarge() : Problem(400, "El formulario llegó incompleto o dañado.");
            }
            files = [];
            foreach (var file in form.Files.Where(f => f.Length > 0))
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                files.Add(new DteImportFile(System.IO.Path.GetFileName(file.FileName is { Length: > 0 } n ? n : file.Name), buffer.ToArray()));
            }
            if (files.Count == 0)
            {
                return Problem(400, "No llegó ningún archivo: envía uno o más XML (o un .zip) en campos de archivo del formulario.");
            }
        }
        else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && RawTypes.Contains(media.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            var content = await ReadAtMostAsync(request.Body, MaxBytes, ct);
            if (content is null)
            {
                return TooLarge();
            }
            if (content.Length == 0)
            {
                return Problem(400, "El cuerpo de la solicitud está vacío: envía el XML del documento.");
            }
            var name = ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition)
                ? disposition.FileName.Value?.Trim('"') : null;
            files = [new DteImportFile(System.IO.Path.GetFileName(name is { Length: > 0 } ? name : "documento.xml"), content)];
        }
        else
        {
            return Problem(415, "Envía el XML con Content-Type application/xml o text/xml, un .zip con application/zip, o archivos como multipart/form-data.");
        }

        var report = await importer.ImportAsync(files, new DteImportOptions { RecordedBy = "api" }, ct: ct);
        if (!report.Documents.Any())
        {
            var reasons = report.Files.SelectMany(f => f.Errors.Concat(f.Warnings)).Take(20).ToList();
            return TypedResults.Problem(title: "No se pudo leer ningún documento en lo que enviaste.", detail: string.Join(" ", reasons), statusCode: 400,
                extensions: new Dictionary<string, object?> { ["results"] = DteImportResponse.From(report).Results });
        }
        return TypedResults.Ok(DteImportResponse.From(report));
    }

    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > max)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge() => Problem(413, $"Lo que enviaste supera el máximo de {MaxBytes / 1024 / 1024} MB por solicitud. Divide los archivos en varios envíos.");

    private static ProblemHttpResult Problem(int status, string title) => TypedResults.Problem(title: title, statusCode: status);
}
