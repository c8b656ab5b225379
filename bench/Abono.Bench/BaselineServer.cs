using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Abono.Bench;

/// <summary>
/// The raw baseline of the load benchmark: the portal's pending-documents page with the same queries as ours
/// (portal by code, its subscription, company, customer, pending documents with their "pago en proceso" flag,
/// enabled methods, last payments) in plain Npgsql, and the HTML written by hand. Kestrel and routing only: no
/// authentication, antiforgery, Razor, EF Core or security headers. The customer comes in the query string
/// (our page takes it from the encrypted portal cookie).
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(string connectionString, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        app.MapGet("/portal/{code}/documentos", async (string code, long c, HttpContext http) =>
        {
            var html = await RenderAsync(dataSource, code, c, http.RequestAborted);
            return html is null ? Results.NotFound() : Results.Content(html, "text/html; charset=utf-8");
        });
        app.MapGet("/ready", () => "ok");
        await app.RunAsync();
    }

    private static async Task<string?> RenderAsync(NpgsqlDataSource dataSource, string code, long customerId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        Guid companyId;
        string portalName;
        await using (var cmd = new NpgsqlCommand("""SELECT "CompanyId", "Name" FROM "PortalConfigurations" WHERE "PublicCode" = @code""", connection))
        {
            cmd.Parameters.AddWithValue("code", code);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            (companyId, portalName) = (r.GetGuid(0), r.GetString(1));
        }
        await using (var cmd = new NpgsqlCommand("""SELECT "Status", "EndsOn" FROM "Subscriptions" WHERE "CompanyId" = @c AND "AddOnCode" = 'portal-de-pagos'""", connection))
        {
            cmd.Parameters.AddWithValue("c", companyId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct) || r.GetInt32(0) is not (2 or 3))
            {
                return null;
            }
        }
        string companyName;
        await using (var cmd = new NpgsqlCommand("""SELECT "LegalName" FROM "Companies" WHERE "Id" = @c""", connection))
        {
            cmd.Parameters.AddWithValue("c", companyId);
            companyName = (string)(await cmd.ExecuteScalarAsync(ct))!;
        }
        string customerName;
        await using (var cmd = new NpgsqlCommand("""SELECT "Name" FROM "Customers" WHERE "Id" = @id AND "CompanyId" = @c""", connection))
        {
            cmd.Parameters.AddWithValue("id", customerId);
            cmd.Parameters.AddWithValue("c", companyId);
            if (await cmd.ExecuteScalarAsync(ct) is not string name)
            {
                return null;
            }
            customerName = name;
        }
        var html = new StringBuilder(8192);
        var e = HtmlEncoder.Default;
        var clp = CultureInfo.GetCultureInfo("es-CL");
        html.Append("<!DOCTYPE html><html lang=\"es-CL\"><head><meta charset=\"utf-8\"><title>Documentos · ").Append(e.Encode(portalName))
            .Append("</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head><body class=\"portal\"><header><span class=\"brand\">")
            .Append(e.Encode(portalName)).Append("</span></header><main><h1>Hola, ").Append(e.Encode(customerName)).Append("</h1><p>")
            .Append(e.Encode(companyName)).Append("</p><form method=\"post\"><table><thead><tr><th></th><th>Documento</th><th>Emisión</th><th>Vencimiento</th><th>Total</th><th>Saldo</th></tr></thead><tbody>");
        long total = 0;
        await using (var cmd = new NpgsqlCommand("""
            SELECT d."Id", d."Type", d."Folio", d."IssueDate", d."DueDate", d."Total", d."Balance",
                   EXISTS (SELECT 1 FROM "DocumentPaymentLocks" l WHERE l."DocumentId" = d."Id" AND l."ExpiresAt" > now() AT TIME ZONE 'UTC')
            FROM "Documents" d
            WHERE d."CompanyId" = @c AND d."CustomerId" = @id AND d."Balance" > 0 AND d."Type" <> 61
            ORDER BY d."DueDate", d."Id"
            """, connection))
        {
            cmd.Parameters.AddWithValue("c", companyId);
            cmd.Parameters.AddWithValue("id", customerId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var balance = r.GetInt64(6);
                total += balance;
                html.Append("<tr><td><input type=\"checkbox\" name=\"Input.DocumentIds\" value=\"").Append(r.GetInt64(0)).Append("\" checked")
                    .Append(r.GetBoolean(7) ? " disabled" : "").Append("></td><td>").Append(r.GetInt32(1) == 39 ? "Boleta" : "Factura").Append(" N° ").Append(r.GetInt64(2))
                    .Append("</td><td>").Append(r.GetFieldValue<DateOnly>(3).ToString("dd-MM-yyyy", clp)).Append("</td><td>")
                    .Append(r.GetFieldValue<DateOnly>(4).ToString("dd-MM-yyyy", clp)).Append("</td><td>$").Append(r.GetInt64(5).ToString("N0", clp))
                    .Append("</td><td>$").Append(balance.ToString("N0", clp)).Append("</td></tr>");
            }
        }
        html.Append("</tbody></table><fieldset><legend>Medio de pago</legend>");
        await using (var cmd = new NpgsqlCommand("""SELECT "Id", "Kind" FROM "PaymentMethods" WHERE "CompanyId" = @c AND "IsActive" AND "EnabledInPortal" ORDER BY "Kind" """, connection))
        {
            cmd.Parameters.AddWithValue("c", companyId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                html.Append("<label><input type=\"radio\" name=\"Input.PaymentMethodId\" value=\"").Append(r.GetInt64(0)).Append("\"> Medio ").Append(r.GetInt32(1)).Append("</label>");
            }
        }
        html.Append("</fieldset><button type=\"submit\">Pagar $").Append(total.ToString("N0", clp)).Append("</button></form><h2>Últimos pagos</h2><ul>");
        await using (var cmd = new NpgsqlCommand("""SELECT "Id", "PaidAt", "Amount" FROM "Payments" WHERE "CompanyId" = @c AND "CustomerId" = @id ORDER BY "PaidAt" DESC LIMIT 5""", connection))
        {
            cmd.Parameters.AddWithValue("c", companyId);
            cmd.Parameters.AddWithValue("id", customerId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                html.Append("<li>Pago N° ").Append(r.GetInt64(0)).Append(" · ").Append(r.GetDateTime(1).ToString("dd-MM-yyyy", clp)).Append(" · $")
                    .Append(r.GetInt64(2).ToString("N0", clp)).Append("</li>");
            }
        }
        return html.Append("</ul></main></body></html>").ToString();
    }
}
