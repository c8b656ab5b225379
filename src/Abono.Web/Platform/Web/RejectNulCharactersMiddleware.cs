using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace Abono.Web.Platform.Web;

/// <summary>
/// No legitimate field contains a NUL character, and PostgreSQL refuses to store or compare one, so such requests
/// (query, form fields and names, JSON strings and property names) are answered 400 here instead of failing deep inside
/// a query. A body that claims to be a form and is not one (a cut multipart body, no boundary, too many fields) is
/// answered 400 here too: the form reader throws on it, and left to model binding it would be a 500.
/// Runs after the rate limiter, so reading bodies is not free for a flood of them.
/// </summary>
public sealed class RejectNulCharactersMiddleware(RequestDelegate next)
{
    /// <summary>JSON larger than the API accepts is not scanned here: the size limits downstream refuse it.</summary>
    public const int MaxScannedJsonBytes = RequestLimits.MaxJsonBodyBytes;

    private const string NulTitle = "La solicitud contiene un carácter nulo (NUL), que no se admite.";
    private const string NulText = "La solicitud contiene un carácter nulo, que ningún dato admite. Revisa lo que copiaste en el formulario e intenta de nuevo.";
    private const string MalformedTitle = "El cuerpo de la solicitud no es un formulario válido.";
    private const string CutTitle = "El cuerpo de la solicitud llegó incompleto.";
    private const string MalformedText = "El formulario llegó incompleto o dañado. Recarga la página e intenta de nuevo.";

    public async Task InvokeAsync(HttpContext context)
    {
        // The error page re-runs the pipeline for the same request: the refusal was decided already, let the page render.
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }
        if (HasNul(context.Request.Query.SelectMany(q => q.Value.Append(q.Key))))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, NulTitle, NulText);
            return;
        }
        switch (await CheckFormAsync(context.Request))
        {
            case FormCheck.Nul:
                await RefuseAsync(context, StatusCodes.Status400BadRequest, NulTitle, NulText);
                return;
            case FormCheck.Malformed malformed:
                await RefuseAsync(context, malformed.Status, MalformedTitle, MalformedText);
                return;
        }
        switch (await CheckJsonAsync(context.Request))
        {
            case FormCheck.Nul:
                await RefuseAsync(context, StatusCodes.Status400BadRequest, NulTitle, NulText);
                return;
            case FormCheck.Malformed malformed:
                await RefuseAsync(context, malformed.Status, CutTitle, MalformedText);
                return;
        }
        await next(context);
    }

    private abstract record FormCheck
    {
        public sealed record Fine : FormCheck;
        public sealed record Nul : FormCheck;
        public sealed record Malformed(int Status) : FormCheck;
    }

    private static async Task<FormCheck> CheckFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            // "multipart/form-data; boundary=\"" does not even parse as a media type; a form it is not.
            var declared = request.ContentType?.TrimStart() ?? "";
            return declared.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                || declared.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                ? new FormCheck.Malformed(StatusCodes.Status400BadRequest)
                : new FormCheck.Fine();
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("invalid characters", StringComparison.Ordinal))
        {
            // The form reader refuses an encoded NUL (%00) itself: say so, as for a raw one.
            return new FormCheck.Nul();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // The form reader's own refusals (limits, a missing or too long boundary) and a body that ends mid-part.
            return new FormCheck.Malformed(StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's: a body over the size limit (413) or one that ends before its Content-Length.
            return new FormCheck.Malformed(ex.StatusCode);
        }
        var files = form.Files.SelectMany(f => new[] { f.Name, f.FileName, f.ContentType });
        return HasNul(form.SelectMany(f => f.Value.Append(f.Key)).Concat(files)) ? new FormCheck.Nul() : new FormCheck.Fine();
    }

    /// <summary>
    /// A NUL reaches a string only escaped (\u0000; a raw control byte is not valid JSON and binding refuses it). The
    /// body is read with a JSON reader, so an escaped backslash followed by "u0000" is not mistaken for one.
    /// </summary>
    private static async Task<FormCheck> CheckJsonAsync(HttpRequest request)
    {
        if (!IsJson(request.ContentType) || request.ContentLength is 0 || request.ContentLength > MaxScannedJsonBytes)
        {
            return new FormCheck.Fine();
        }
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxScannedJsonBytes)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            return new FormCheck.Malformed(ex.StatusCode);
        }
        catch (IOException)
        {
            return new FormCheck.Malformed(StatusCodes.Status400BadRequest);
        }
        request.Body.Position = 0;
        if (buffer.Length > MaxScannedJsonBytes || buffer.Length == 0)
        {
            return new FormCheck.Fine();
        }
        return HasEscapedNul(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) ? new FormCheck.Nul() : new FormCheck.Fine();
    }

    private static bool HasEscapedNul(ReadOnlySpan<byte> json)
    {
        // Cheap first: without "\u0000" (any case) in the bytes there is nothing to look at.
        if (json.IndexOf("\\u0000"u8) < 0 && json.IndexOf("\\U0000"u8) < 0)
        {
            return false;
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString()?.Contains('\0') == true)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: binding answers that one (400) without reaching the database.
        }
        return false;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static async Task RefuseAsync(HttpContext context, int status, string title, string text)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(title: title, statusCode: status).ExecuteAsync(context);
            return;
        }
        // People get the Spanish status page (/error/400), which shows this text.
        ErrorPageText.Set(context, text);
        context.Response.StatusCode = status;
    }

    private static bool HasNul(IEnumerable<string?> values) => values.Any(v => v?.Contains('\0') == true);
}
