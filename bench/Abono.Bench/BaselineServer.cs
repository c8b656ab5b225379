using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Abono.Bench;

/// <summary>
/// The raw baseline of the load benchmark: our portal's pending-documents page (Features/Portal/Documents.cshtml in
/// Features/Shared/_PortalLayout.cshtml) written by hand, byte for byte where it can be — the same layout, head, asset
/// links with asp-append-version's query strings (SHA-256 of the file, base64url, as ASP.NET computes them), branded
/// header and footer, the sign-out and pay forms with an antiforgery-looking field as long as ours, the same document
/// rows, methods and recent payments — from the same six queries our page sends (the SQL EF Core generates for them,
/// same columns, one connection): the active portal with its company, the customer link behind the session, the
/// customer, the pending documents with their "pago en proceso" flag, the enabled methods, the latest payments (and
/// the resumable checkouts when a document is in process). Kestrel and routing only: no authentication, antiforgery,
/// Razor, EF Core or middleware. The session comes in the query string (?c=customer&amp;l=link; our page decrypts it from
/// the portal cookie). Text formats (pesos, dates, document and method names) use the app's own pure helpers, so the
/// words are the same. The response headers are the ones our page sends (passed in BASELINE_HEADERS).
/// </summary>
public static class BaselineServer
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static async Task RunAsync(string connectionString, int port, string webRoot, int tokenLength)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var page = new Page(dataSource, AppendVersion(webRoot, "/css/site.css"), AppendVersion(webRoot, "/js/site.js"), AppendVersion(webRoot, "/icons/sprite.svg"), tokenLength);
        var headers = Environment.GetEnvironmentVariable("BASELINE_HEADERS") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json)!.ToArray()
            : [];
        app.MapGet("/portal/{code}/documentos", async (string code, long c, long l, HttpContext http) =>
        {
            var html = await page.RenderAsync(code, c, l, http.RequestAborted);
            if (html is null)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            foreach (var (name, value) in headers)
            {
                http.Response.Headers[name] = value;
            }
            http.Response.ContentType = "text/html; charset=utf-8";
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(html.Length));
            try
            {
                var length = Encoding.UTF8.GetBytes(html, buffer);
                http.Response.ContentLength = length;
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, length), http.RequestAborted);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        app.MapGet("/ready", () => "ok");
        await app.RunAsync();
    }

    /// <summary>What asp-append-version="true" writes: the path plus ?v= the base64url SHA-256 of the file under wwwroot.</summary>
    public static string AppendVersion(string webRoot, string path)
    {
        using var file = File.OpenRead(Path.Combine(webRoot, path.TrimStart('/')));
        return path + "?v=" + WebEncoders.Base64UrlEncode(SHA256.HashData(file));
    }

    private static string E(string? text) => text is null ? "" : Html.Encode(text);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class Page(NpgsqlDataSource dataSource, string siteCss, string siteJs, string iconSprite, int tokenLength)
    {
        private const string ActivePortalSql = """
            SELECT p."CompanyId", p."AccentColor", p."AllowPartialPayments", p."ContactAddress", p."ContactEmail", p."ContactPhone", p."CustomerLinkValidityDays", p."IssuerEmail", p."LogoVersion", p."MinimumPartialAmount", p."Name", p."PublicCode", p."UpdatedAt", p."VerifyWithCode", c."LegalName", c."Rut", c."Email", c."Address", EXISTS (
                SELECT 1
                FROM "Subscriptions" AS s
                WHERE s."CompanyId" = p."CompanyId" AND s."AddOnCode" = 'portal-de-pagos' AND s."Status" IN (2, 3) AND (s."EndsOn" IS NULL OR @today < s."EndsOn"))
            FROM "PortalConfigurations" AS p
            INNER JOIN "Companies" AS c ON p."CompanyId" = c."Id"
            WHERE p."PublicCode" = @code
            LIMIT 1
            """;

        private const string LinkSql = """
            SELECT EXISTS (
                SELECT 1
                FROM "CustomerPortalLinks" AS c
                WHERE c."Id" = @linkId AND c."RevokedAt" IS NULL AND (c."ExpiresAt" IS NULL OR c."ExpiresAt" > @now))
            """;

        private const string CustomerSql = """
            SELECT c."Id", c."Address", c."CompanyId", c."CreatedAt", c."CreditDays", c."Email", c."Name", c."Phone", c."RemindersEnabled", c."Rut", c."SearchName"
            FROM "Customers" AS c
            WHERE c."CompanyId" = @company AND c."Id" = @id
            LIMIT 1
            """;

        private const string DocumentsSql = """
            SELECT d."Id", d."Type", d."Folio", d."IssueDate", d."DueDate", d."Total", d."Balance", EXISTS (
                SELECT 1
                FROM "DocumentPaymentLocks" AS d0
                WHERE d0."CompanyId" = @company AND d0."DocumentId" = d."Id"), d."CededToRut", d."CededToName", d."Claim"
            FROM "Documents" AS d
            WHERE d."CompanyId" = @company AND d."CustomerId" = @customerId AND d."Balance" > 0 AND d."Type" <> 61
            ORDER BY d."DueDate", d."Id"
            """;

        private const string MethodsSql = """
            SELECT p."Id", p."Kind"
            FROM "PaymentMethods" AS p
            WHERE p."CompanyId" = @company AND p."IsActive" AND p."EnabledInPortal"
            ORDER BY p."Kind"
            """;

        private const string PaymentsSql = """
            SELECT p."Id", p."Amount", p."PaidAt"
            FROM "Payments" AS p
            WHERE p."CompanyId" = @company AND p."CustomerId" = @customerId
            ORDER BY p."PaidAt" DESC
            LIMIT 5
            """;

        private static readonly string ResumableSql = $"""
            SELECT c."Id", c."Amount", c."Gateway", c."Description"
            FROM "Checkouts" AS c
            WHERE c."CompanyId" = @company AND c."CustomerId" = @customerId AND c."Purpose" = {(int)CheckoutPurpose.DocumentPayment} AND c."State" = {(int)CheckoutState.Pending}
              AND c."StartJson" IS NOT NULL AND c."ExpiresAt" > @now
              AND EXISTS (SELECT 1 FROM "PaymentMethods" AS p WHERE p."CompanyId" = @company AND p."Id" = c."PaymentMethodId" AND p."IsActive")
            ORDER BY c."CreatedAt" DESC
            LIMIT 5
            """;

        private sealed record Doc(long Id, DocumentType Type, long Folio, DateOnly IssueDate, DateOnly DueDate, long Total, long Balance, bool InProcess, string? PayerMessage)
        {
            public bool Payable => PayerMessage is null && !InProcess;
        }

        public async Task<string?> RenderAsync(string code, long customerId, long linkId, CancellationToken ct)
        {
            var today = ChileFormats.Today(TimeProvider.System);
            var now = DateTime.UtcNow;
            await using var connection = await dataSource.OpenConnectionAsync(ct);

            Guid company;
            string portalName, publicCode, accent, companyName;
            string? email, phone, address;
            bool partial;
            long minimumPartial;
            int logoVersion;
            await using (var cmd = Command(connection, ActivePortalSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", NpgsqlDbType.Date) { TypedValue = today });
                cmd.Parameters.Add(new NpgsqlParameter<string>("code", NpgsqlDbType.Varchar) { TypedValue = code });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (!await r.ReadAsync(ct) || !r.GetBoolean(18))
                {
                    return null;
                }
                company = r.GetGuid(0);
                accent = AccentColor.Normalize(r.IsDBNull(1) ? null : r.GetString(1)) ?? AccentColor.Default;
                partial = r.GetBoolean(2);
                logoVersion = r.GetInt32(8);
                minimumPartial = r.GetInt64(9);
                portalName = r.GetString(10);
                publicCode = r.GetString(11);
                companyName = r.GetString(14);
                email = Blank(r.IsDBNull(4) ? null : r.GetString(4)) ?? Blank(r.GetString(16));
                phone = Blank(r.IsDBNull(5) ? null : r.GetString(5));
                address = Blank(r.IsDBNull(3) ? null : r.GetString(3)) ?? Blank(r.IsDBNull(17) ? null : r.GetString(17));
            }
            await using (var cmd = Command(connection, LinkSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long>("linkId", NpgsqlDbType.Bigint) { TypedValue = linkId });
                cmd.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
                if (await cmd.ExecuteScalarAsync(ct) is not true)
                {
                    return null;
                }
            }
            string customerName;
            await using (var cmd = Command(connection, CustomerSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid>("company", NpgsqlDbType.Uuid) { TypedValue = company });
                cmd.Parameters.Add(new NpgsqlParameter<long>("id", NpgsqlDbType.Bigint) { TypedValue = customerId });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (!await r.ReadAsync(ct))
                {
                    return null;
                }
                customerName = r.GetString(6);
            }
            var docs = new List<Doc>();
            await using (var cmd = Command(connection, DocumentsSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid>("company", NpgsqlDbType.Uuid) { TypedValue = company });
                cmd.Parameters.Add(new NpgsqlParameter<long>("customerId", NpgsqlDbType.Bigint) { TypedValue = customerId });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var claim = r.IsDBNull(10) ? (DocumentClaim?)null : (DocumentClaim)r.GetInt32(10);
                    docs.Add(new Doc(r.GetInt64(0), (DocumentType)r.GetInt32(1), r.GetInt64(2), r.GetFieldValue<DateOnly>(3), r.GetFieldValue<DateOnly>(4),
                        r.GetInt64(5), r.GetInt64(6), r.GetBoolean(7),
                        DocumentCollection.PayerMessage(r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), claim)));
                }
            }
            var methods = new List<(long Id, GatewayKind Kind)>();
            await using (var cmd = Command(connection, MethodsSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid>("company", NpgsqlDbType.Uuid) { TypedValue = company });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    methods.Add((r.GetInt64(0), (GatewayKind)r.GetInt32(1)));
                }
            }
            var payments = new List<(long Id, long Amount, DateTime PaidAt)>();
            await using (var cmd = Command(connection, PaymentsSql))
            {
                cmd.Parameters.Add(new NpgsqlParameter<Guid>("company", NpgsqlDbType.Uuid) { TypedValue = company });
                cmd.Parameters.Add(new NpgsqlParameter<long>("customerId", NpgsqlDbType.Bigint) { TypedValue = customerId });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    payments.Add((r.GetInt64(0), r.GetInt64(1), r.GetDateTime(2)));
                }
            }
            var resumable = new List<(Guid Id, long Amount, GatewayKind Gateway, string Description)>();
            if (docs.Any(d => d.InProcess))
            {
                await using var cmd = Command(connection, ResumableSql);
                cmd.Parameters.Add(new NpgsqlParameter<Guid>("company", NpgsqlDbType.Uuid) { TypedValue = company });
                cmd.Parameters.Add(new NpgsqlParameter<long>("customerId", NpgsqlDbType.Bigint) { TypedValue = customerId });
                cmd.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    resumable.Add((r.GetGuid(0), r.GetInt64(1), (GatewayKind)r.GetInt32(2), r.GetString(3)));
                }
            }

            var token = Token();
            var c = E(publicCode);
            var h = new StringBuilder(4096 + 1300 * docs.Count);

            // _PortalLayout.cshtml, up to RenderBody().
            h.Append("<!DOCTYPE html>\n<html lang=\"es-CL\">\n<head>\n    <meta charset=\"utf-8\" />\n")
                .Append("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
                .Append("    <meta name=\"referrer\" content=\"no-referrer\" />\n")
                .Append("    <title>Mis documentos pendientes · ").Append(E(portalName)).Append("</title>\n")
                .Append("    <link rel=\"stylesheet\" href=\"/lib/bootstrap/dist/css/bootstrap.min.css\" />\n")
                .Append("    <link rel=\"stylesheet\" href=\"").Append(siteCss).Append("\" />\n")
                .Append("        <link rel=\"stylesheet\" href=\"/portal/").Append(c).Append("/marca.css?c=").Append(E(accent.TrimStart('#'))).Append("\" />\n")
                .Append("</head>\n<body class=\"portal\">\n    <a class=\"skip-link\" href=\"#contenido\">Saltar al contenido</a>\n")
                .Append("    <header class=\"portal-topbar\">\n        <div class=\"topbar-inner\">\n");
            if (logoVersion > 0)
            {
                h.Append("                <img class=\"portal-logo\" src=\"/portal/").Append(c).Append("/logo?v=").Append(logoVersion).Append("\" alt=\"\" />\n");
            }
            h.Append("            <span class=\"portal-brand\" data-testid=\"portal-title\">").Append(E(portalName)).Append("</span>\n")
                .Append("                <form method=\"post\" action=\"/portal/").Append(c).Append("/salir\" class=\"ms-auto\">\n")
                .Append("                    ").Append(token).Append('\n')
                // The <icon name="log-out" /> tag helper's output.
                .Append("                    <button type=\"submit\" class=\"btn btn-outline-primary btn-sm\"><svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\"><use href=\"")
                .Append(iconSprite).Append("#log-out\"></use></svg>Salir</button>\n")
                .Append("                </form>\n        </div>\n    </header>\n")
                .Append("    <main id=\"contenido\" class=\"page portal-page\" tabindex=\"-1\">\n        ");

            // Documents.cshtml.
            h.Append("<h1 class=\"h4\">Hola, ").Append(E(customerName)).Append("</h1>\n")
                .Append("<p class=\"text-muted\">Documentos pendientes con ").Append(E(companyName)).Append(".</p>\n");
            foreach (var r in resumable)
            {
                h.Append("    <div class=\"card-panel in-progress\" data-testid=\"in-progress\">\n")
                    .Append("        <p class=\"mb-2\"><strong>Tienes un pago en curso de ").Append(ChileFormats.Clp(r.Amount)).Append("</strong> con ")
                    .Append(E(r.Gateway.Name())).Append(" (").Append(E(r.Description)).Append(").\n")
                    .Append("            Si no alcanzaste a terminarlo, puedes continuarlo; si ya pagaste, en unos minutos quedará registrado.</p>\n")
                    .Append("        <form method=\"post\" action=\"/portal/").Append(c).Append("/documentos?handler=Resume\">\n")
                    .Append("            <input type=\"hidden\" name=\"checkout\" value=\"").Append(r.Id).Append("\" />\n")
                    .Append("            <button type=\"submit\" class=\"btn btn-outline-primary\">Continuar el pago</button>\n")
                    .Append("        ").Append(token).Append("</form>\n    </div>\n");
            }
            if (docs.Count == 0)
            {
                h.Append("    <div class=\"card-panel empty-state\" data-testid=\"nothing-pending\">\n")
                    .Append("        <p class=\"mb-0\">¡Estás al día! No tienes documentos pendientes de pago.</p>\n    </div>\n");
            }
            else
            {
                // The GET without a selection: every payable document selected, the whole balance (PortalCheckouts.Quote).
                var payable = docs.Where(d => d.Payable).ToList();
                long total = payable.Sum(d => d.Balance);
                long? amount = payable.Count > 0 ? total : null;
                h.Append("    <form method=\"post\" action=\"/portal/").Append(c).Append("/documentos\" novalidate autocomplete=\"off\" data-pay-form data-quote-url=\"/portal/")
                    .Append(c).Append("/documentos?handler=Quote\" data-partial=\"").Append(partial ? "true" : "false").Append("\">\n")
                    .Append("        <input type=\"hidden\" name=\"Input.AttemptKey\" value=\"").Append(Guid.NewGuid()).Append("\" />\n")
                    .Append("        <input type=\"hidden\" name=\"Input.ExpectedAmount\"");
                if (amount is { } expected)
                {
                    h.Append(" value=\"").Append(expected).Append('"');
                }
                h.Append(" data-expected-amount />\n        <div class=\"card-panel\">\n            <fieldset>\n")
                    .Append("                <legend class=\"h6\">Selecciona los documentos que quieres pagar</legend>\n");
                foreach (var d in docs)
                {
                    var title = E(d.Type.ShortName()) + " N° " + d.Folio;
                    var dates = "Emisión " + ChileFormats.Date(d.IssueDate) + " · Vence " + ChileFormats.Date(d.DueDate);
                    if (d.PayerMessage is { } notPayable)
                    {
                        h.Append("                        <div class=\"portal-doc not-payable\" data-testid=\"doc-").Append(d.Id).Append("\" data-not-payable>\n")
                            .Append("                            <div class=\"portal-doc-check\">\n")
                            .Append("                                <span class=\"portal-doc-label\">\n")
                            .Append("                                    <span class=\"portal-doc-title\">").Append(title).Append("</span>\n")
                            .Append("                                    <span class=\"text-muted\">").Append(dates).Append("</span>\n")
                            .Append("                                    <span>Total ").Append(ChileFormats.Clp(d.Total)).Append(" · Saldo ").Append(ChileFormats.Clp(d.Balance)).Append("</span>\n")
                            .Append("                                    <span class=\"alert alert-warning py-1 px-2 mb-0 mt-1\" data-testid=\"doc-message-").Append(d.Id).Append("\">")
                            .Append(E(notPayable)).Append("</span>\n")
                            .Append("                                </span>\n                            </div>\n")
                            .Append("                            <a class=\"portal-doc-link\" href=\"/portal/").Append(c).Append("/documentos/").Append(d.Id)
                            .Append("\">Ver<span class=\"visually-hidden\"> ").Append(title).Append("</span></a>\n")
                            .Append("                        </div>\n");
                        continue;
                    }
                    var overdue = d.DueDate < today;
                    h.Append("                    <div class=\"portal-doc ").Append(d.InProcess ? "in-process" : "").Append("\" data-testid=\"doc-").Append(d.Id).Append("\">\n")
                        .Append("                        <label class=\"portal-doc-check\">\n")
                        .Append("                            <input class=\"form-check-input\" type=\"checkbox\" name=\"Input.DocumentIds\" value=\"").Append(d.Id).Append('"');
                    if (!d.InProcess)
                    {
                        h.Append("\n                                   checked=\"checked\"");
                    }
                    else
                    {
                        h.Append(" disabled=\"disabled\"");
                    }
                    h.Append(" />\n                            <span class=\"portal-doc-label\">\n")
                        .Append("                                <span class=\"portal-doc-title\">").Append(title).Append("</span>\n")
                        .Append("                                <span class=\"text-muted\">").Append(dates).Append("</span>\n");
                    if (overdue || d.InProcess)
                    {
                        h.Append("                                    <span>");
                        if (overdue)
                        {
                            h.Append(" <span class=\"badge-status status-vencido\">Vencido</span> ");
                        }
                        if (d.InProcess)
                        {
                            h.Append(" <span class=\"badge-status status-pendiente\">Pago en proceso</span> ");
                        }
                        h.Append("</span>\n");
                    }
                    h.Append("                                <span>Total ").Append(ChileFormats.Clp(d.Total)).Append(" · <strong>Saldo ").Append(ChileFormats.Clp(d.Balance)).Append("</strong></span>\n")
                        .Append("                                <span class=\"text-muted\" data-after=\"").Append(d.Id).Append("\" data-testid=\"preview-").Append(d.Id)
                        .Append("\" hidden=\"hidden\">Con tu abono quedará en <span data-after-value></span></span>\n")
                        .Append("                            </span>\n                        </label>\n")
                        .Append("                        <a class=\"portal-doc-link\" href=\"/portal/").Append(c).Append("/documentos/").Append(d.Id)
                        .Append("\">Ver<span class=\"visually-hidden\"> ").Append(title).Append("</span></a>\n")
                        .Append("                    </div>\n");
                }
                h.Append("            </fieldset>\n        </div>\n");
                if (payable.Count > 0)
                {
                    h.Append("            <div class=\"card-panel\" id=\"pagar\">\n");
                    if (partial)
                    {
                        var minimum = ChileFormats.Clp(total > 0 ? Math.Min(minimumPartial, total) : minimumPartial);
                        h.Append("                    <div class=\"mb-3\">\n")
                            .Append("                        <label for=\"Input_Amount\" class=\"form-label\">Monto a pagar (puedes abonar una parte)</label>\n")
                            .Append("                        <div class=\"amount-row\">\n")
                            .Append("                            <input id=\"Input_Amount\" name=\"Input.Amount\" class=\"form-control \"\n")
                            .Append("                                   type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" placeholder=\"").Append(total > 0 ? ChileFormats.Clp(total) : "").Append("\"\n")
                            .Append("                                   aria-describedby=\"amount-help amount-error\" aria-invalid=\"false\" />\n")
                            .Append("                            <button type=\"submit\" class=\"btn btn-outline-primary\" formaction=\"/portal/").Append(c).Append("/documentos?handler=Preview\">Ver cómo queda</button>\n")
                            .Append("                        </div>\n")
                            .Append("                        <div id=\"amount-help\" class=\"form-text\">Déjalo en blanco para pagar el total. Mínimo ").Append(minimum)
                            .Append(". El abono se aplica primero a los documentos que vencen antes.</div>\n")
                            .Append("                        <span id=\"amount-error\" class=\"field-validation-error\" data-amount-error aria-live=\"polite\"></span>\n")
                            .Append("                    </div>\n");
                    }
                    if (methods.Count == 0)
                    {
                        h.Append("                    <p class=\"mb-0\">Esta empresa aún no habilita medios de pago en línea. Contáctala para pagar.</p>\n");
                    }
                    else
                    {
                        h.Append("                    <fieldset class=\"mb-3\">\n                        <legend class=\"h6\">Medio de pago</legend>\n");
                        foreach (var m in methods)
                        {
                            h.Append("                            <label class=\"portal-method\">\n")
                                .Append("                                <input class=\"form-check-input\" type=\"radio\" name=\"Input.PaymentMethodId\" value=\"").Append(m.Id).Append('"');
                            if (methods.Count == 1)
                            {
                                h.Append("\n                                       checked=\"checked\"");
                            }
                            h.Append(" />\n                                <span>\n")
                                .Append("                                    <span class=\"portal-method-name\">").Append(E(m.Kind.Name())).Append("</span>\n")
                                .Append("                                    <span class=\"d-block small text-muted\">").Append(E(m.Kind.PayerDescription())).Append("</span>\n")
                                .Append("                                    <span class=\"d-block small trust-line\">").Append(E(m.Kind.TrustLine())).Append("</span>\n")
                                .Append("                                </span>\n                            </label>\n");
                        }
                        var label = amount is { } a ? ChileFormats.Clp(a) : null;
                        h.Append("                    </fieldset>\n")
                            .Append("                    <p class=\"h5 pay-total\" aria-live=\"polite\">Total a pagar: <span data-pay-total data-testid=\"pay-total\">").Append(label ?? "—").Append("</span></p>\n")
                            .Append("                    <p class=\"field-validation-error\" data-selection-error aria-live=\"polite\"></p>\n")
                            .Append("                    <button type=\"submit\" class=\"btn btn-primary btn-lg w-100\" data-pay-button").Append(label is null ? " disabled=\"disabled\"" : "")
                            .Append('>').Append(label is null ? "Pagar" : "Pagar " + label).Append("</button>\n")
                            .Append("                    <button type=\"submit\" class=\"btn btn-link w-100\" data-without-script formaction=\"/portal/").Append(c)
                            .Append("/documentos?handler=Preview\">Actualizar total</button>\n");
                    }
                    h.Append("            </div>\n");
                }
                h.Append("    ").Append(token).Append("</form>\n");
            }
            if (payments.Count > 0)
            {
                h.Append("    <section class=\"card-panel\" aria-labelledby=\"paid-title\">\n")
                    .Append("        <h2 id=\"paid-title\" class=\"h6\">Tus pagos recientes</h2>\n        <ul class=\"list-unstyled mb-2\">\n");
                foreach (var p in payments)
                {
                    h.Append("                <li class=\"d-flex justify-content-between gap-2 py-1 flex-wrap\">\n")
                        .Append("                    <a href=\"/portal/").Append(c).Append("/comprobantes/").Append(p.Id).Append("\">Comprobante ").Append(ReceiptData.FormatReference(p.Id)).Append("</a>\n")
                        .Append("                    <span>").Append(ChileFormats.DateTime(p.PaidAt)).Append(" · ").Append(ChileFormats.Clp(p.Amount)).Append("</span>\n")
                        .Append("                </li>\n");
                }
                h.Append("        </ul>\n        <a href=\"/portal/").Append(c).Append("/pagos\">Ver todos mis pagos y comprobantes</a>\n    </section>\n");
            }
            h.Append("<p class=\"text-center\"><a href=\"/portal/").Append(c).Append("/estado-de-cuenta\">Ver mi estado de cuenta</a></p>\n");

            // _PortalLayout.cshtml, after RenderBody().
            h.Append("\n    </main>\n    <footer class=\"footer portal-footer\">\n");
            if ((email ?? phone ?? address) is not null)
            {
                h.Append("            <p class=\"mb-1\" data-testid=\"portal-contact\">¿Dudas sobre tus documentos? Contacta a ").Append(E(companyName)).Append(":\n");
                if (email is not null)
                {
                    h.Append(" <a href=\"mailto:").Append(E(email)).Append("\">").Append(E(email)).Append("</a> ");
                }
                if (phone is not null)
                {
                    h.Append(" <span>· <a href=\"tel:").Append(E(phone)).Append("\">").Append(E(ChileanPhone.Format(phone))).Append("</a></span> ");
                }
                if (address is not null)
                {
                    h.Append(" <span>· ").Append(E(address)).Append("</span> ");
                }
                h.Append("            </p>\n");
            }
            h.Append("        <p class=\"mb-0\">Pagos procesados con Abono</p>\n    </footer>\n")
                .Append("    <script src=\"").Append(siteJs).Append("\"></script>\n</body>\n</html>\n");
            return h.ToString();
        }

        private static NpgsqlCommand Command(NpgsqlConnection connection, string sql)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd;
        }

        /// <summary>
        /// An antiforgery-looking field as long as ours: "CfDJ8" and fresh random base64url, the same value in every
        /// form of the page (ours also writes one token per request). Not a real token: nothing here validates it.
        /// </summary>
        private string Token()
        {
            Span<byte> random = stackalloc byte[(tokenLength * 3 / 4) + 3];
            RandomNumberGenerator.Fill(random);
            var value = ("CfDJ8" + WebEncoders.Base64UrlEncode(random.ToArray()))[..tokenLength];
            return $"<input name=\"__RequestVerificationToken\" type=\"hidden\" value=\"{value}\" />";
        }
    }
}
