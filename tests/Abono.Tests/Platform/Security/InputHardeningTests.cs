using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Import;
using Abono.Web.Features.Reports;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// Hostile text from tenants and their customers (issue 14, items 4 and 8): no spreadsheet formula in exports, API
/// answers that are ProblemDetails and never a redirect, no control characters stored, no imported IVA that is not 19 %.
/// </summary>
public class InputHardeningTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    /// <summary>Written out (not Rules' constant) so the test says what a person reads.</summary>
    private const string ControlMessage = "No puede contener caracteres de control (tabulaciones, saltos de línea ni otros caracteres invisibles).";

    private static readonly string[] Formulas = ["=HYPERLINK(\"http://x\",\"y\")", "-2+3", "@SUM(A1)", "+56 9 cmd"];

    private static async Task<List<string[]>> ReadCsvAsync(byte[] content)
    {
        var rows = new List<string[]>();
        using var csv = CsvReader.Create(content.AsSpan(0, 3).SequenceEqual(Encoding.UTF8.GetPreamble()) ? content[3..] : content,
            new CsvReaderOptions { Separator = ';', HasHeader = false });
        while (await csv.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray());
        }
        return rows;
    }

    private HttpClient NoRedirects(string? key = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    private static async Task<string> CreateKeyAsync(Merchant merchant)
    {
        var page = await merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = "Write" });
        return page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!;
    }

    // --- 4. CSV formula injection -----------------------------------------------------------------

    [Fact]
    public async Task Owed_documents_export_escapes_formula_names_and_keeps_amounts_numeric()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        foreach (var name in Formulas)
        {
            await merchant.IssueAsync(33, await merchant.CreateCustomerAsync(name: name), [("Servicio", 1, 1_000)]);
        }
        // Rows stored before names were checked can hold a leading tab or CR: escaped too.
        var legacy = await merchant.CreateCustomerAsync(name: "Legado");
        await merchant.IssueAsync(33, legacy, [("Servicio", 1, 1_000)]);
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            await scope.Db.Customers.Where(c => c.Id == legacy).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "\t=1+1"));
        }

        var response = await merchant.Client.Http.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&handler=Export&formato=csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = await ReadCsvAsync(bytes);
        Assert.Equal("Cliente", rows[0][2]);
        var byName = rows.Skip(1).ToDictionary(r => r[2]);
        foreach (var name in Formulas.Append("\t=1+1"))
        {
            Assert.True(byName.TryGetValue("'" + name, out var row), $"no escaped cell for «{name}» in: {string.Join(" | ", byName.Keys)}");
            Assert.Equal("1190", row![7]);   // Total and Saldo stay plain numbers
            Assert.Equal("1190", row[8]);
        }
        // Quoted as RFC 4180 says, the quotes of the formula doubled inside.
        Assert.Contains(";\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";", Encoding.UTF8.GetString(bytes));

        // XLSX: the same names are plain string cells, never formulas.
        var xlsx = await merchant.Client.Http.GetAsync("/reportes/pagos/documentos-adeudados?buscar=1&handler=Export&formato=xlsx");
        using var zip = new ZipArchive(await xlsx.Content.ReadAsStreamAsync());
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        var xml = await new StreamReader(sheet.Open()).ReadToEndAsync();
        Assert.Contains("HYPERLINK(", xml);
        Assert.Contains("@SUM(A1)", xml);
        Assert.DoesNotContain("<f>", xml);
        Assert.DoesNotContain("<f ", xml);
    }

    [Fact]
    public async Task The_csv_writer_escapes_text_that_starts_a_formula_but_not_numbers()
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;
        object?[][] data =
        [
            [-5000L, -7, "-5000", "=1+1", "+1", "@x", "\tTab", "\rCR", "Normal; con separador", null],
        ];
        await ReportExport.WriteAsync(http, "csv", "prueba", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], data.ToAsyncEnumerable(), default);

        var rows = await ReadCsvAsync(body.ToArray());
        Assert.Equal(["-5000", "-7", "'-5000", "'=1+1", "'+1", "'@x", "'\tTab", "'\rCR", "Normal; con separador", ""], rows[1]);
        Assert.StartsWith("-5000;-7;\"'-5000\";", Encoding.UTF8.GetString(body.ToArray()).Split("\r\n")[1]);
    }

    // --- 8a. API content types and authentication -------------------------------------------------

    [Fact]
    public async Task Api_wrong_content_type_is_415_and_no_key_is_401_problem_details_never_a_redirect()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var api = NoRedirects(await CreateKeyAsync(merchant));
        var anonymous = NoRedirects();

        var text = await api.PostAsync("/api/v1/customers", new StringContent("{\"rut\":\"12.345.678-5\",\"name\":\"X\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
        var form = await api.PostAsync("/api/v1/documents", new FormUrlEncodedContent([new("type", "33")]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);

        foreach (var (method, url, content) in new (HttpMethod, string, HttpContent?)[]
        {
            (HttpMethod.Post, "/api/v1/customers", new StringContent("x", Encoding.UTF8, "text/plain")),
            (HttpMethod.Post, "/api/v1/customers", null),
            (HttpMethod.Get, "/api/v1/no-existe", null),
            (HttpMethod.Delete, "/api/v1/customers", null),
        })
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(method, url) { Content = content });
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} without a key answered {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await api.DeleteAsync("/api/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/no-existe")).StatusCode);
        // A back-office cookie is no API credential either: still 401, not a page.
        var withCookie = await merchant.Client.Http.PostAsync("/api/v1/customers", new StringContent("x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Customers.CountAsync());
    }

    // --- 8c. Control characters -------------------------------------------------------------------

    [Fact]
    public async Task Control_characters_are_refused_at_the_field_in_forms_and_in_the_api_and_nothing_is_saved()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        foreach (var name in new[] { "Ana\tMaría SpA", "Bell\u0007 Ltda.", "Rojo\u001b[31m", "Línea\r\nnueva", "C1\u0085NEL", "CSI\u009b2J", "Del\u007f" })
        {
            var page = await merchant.Client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
            {
                ["Input.Rut"] = Merchant.NewRut(70_000_000), ["Input.Name"] = name, ["Input.Address"] = "Calle\u000b1",
            });
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal(ControlMessage, page.FieldError("Input.Name"));
            Assert.Equal(ControlMessage, page.FieldError("Input.Address"));
        }
        // A tab or line break around a pasted value is trimmed, as spaces are: not an error.
        var trimmed = await merchant.CreateCustomerAsync(name: "\tPegado Ltda.\r\n");

        var product = await merchant.Client.FillAsync("/productos/nuevo", new Dictionary<string, string?>
        {
            ["Input.Code"] = "C\u00011", ["Input.Name"] = "Caja\u001fgrande", ["Input.UnitPrice"] = "1000",
        });
        Assert.Equal(ControlMessage, product.FieldError("Input.Code"));
        Assert.Equal(ControlMessage, product.FieldError("Input.Name"));

        var document = await merchant.IssueAsync(33, trimmed, [("Servicio\u0008 oculto", 1, 1_000)]);
        Assert.Equal(ControlMessage, document.FieldError("Input.Lines[0].Description"));

        var key = await CreateKeyAsync(merchant);
        var api = NoRedirects(key);
        var customer = await api.PostAsJsonAsync("/api/v1/customers", new { rut = Merchant.NewRut(), name = "API\u0007SpA" });
        Assert.Equal(HttpStatusCode.BadRequest, customer.StatusCode);
        Assert.Equal("application/problem+json", customer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ControlMessage, (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("Name")[0].GetString());
        var line = await api.PostAsJsonAsync("/api/v1/documents", new
        {
            type = 33, customerId = trimmed, paymentForm = "credito", lines = new[] { new { description = "Fila\u009dC1", quantity = 1, unitPrice = 1_000 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, line.StatusCode);
        Assert.Equal(ControlMessage, (await line.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("Lines[0].Description")[0].GetString());

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var import = await scope.Get<CsvImporter>().ImportAsync(ImportKind.Customers,
            Encoding.UTF8.GetBytes($"rut;nombre;email;telefono;direccion;dias_credito\n{Merchant.NewRut()};Importado\u0007 SpA;;;;\n"), ImportMode.AllOrNothing);
        Assert.Equal(2, Assert.Single(import.Errors).Line);
        Assert.Contains(ControlMessage, import.Errors[0].Message);

        Assert.Equal("Pegado Ltda.", Assert.Single(await scope.Db.Customers.ToListAsync()).Name);
        Assert.Equal(0, await scope.Db.Products.CountAsync());
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }

    [Fact]
    public async Task A_portal_name_with_control_characters_is_refused()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var page = await s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?>
        {
            ["Input.Name"] = "Portal\u0007 con campana",
        });
        Assert.Equal(ControlMessage, page.FieldError("Input.Name"));
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.DoesNotContain('\u0007', (await scope.Db.PortalConfigurations.SingleAsync()).Name);
    }

    // --- 8d. Imported IVA ---------------------------------------------------------------------------

    [Fact]
    public async Task Import_refuses_an_iva_that_is_not_19_percent_of_neto_with_its_line_and_writes_nothing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rut = Merchant.NewRut();
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var importer = scope.Get<CsvImporter>();
        Assert.Equal(1, (await importer.ImportAsync(ImportKind.Customers,
            Encoding.UTF8.GetBytes($"rut;nombre;email;telefono;direccion;dias_credito\n{rut};Cliente IVA;;;;30\n"), ImportMode.AllOrNothing)).Imported);

        var today = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System);
        string Row(int type, int folio, long net, long exempt, long tax) =>
            $"{type};{folio};{rut};{today:dd-MM-yyyy};{today.AddDays(30):dd-MM-yyyy};{net};{exempt};{tax};{net + exempt + tax};{net + exempt + tax}\n";
        var csv = "tipo;folio;rut_cliente;emision;vencimiento;neto;exento;iva;total;saldo\n"
            + Row(33, 1, 1_000, 0, 190)      // line 2: exact
            + Row(33, 2, 1_005, 0, 191)      // line 3: 190,95 rounds half up to 191
            + Row(33, 3, 1_000, 0, 100)      // line 4: 10 %
            + Row(33, 4, 1_005, 0, 190)      // line 5: rounded down: not how the SII rounds
            + Row(39, 5, 845, 0, 160)        // line 6: a boleta of $1.005 split back into neto + IVA (19 % of 845 would be 161)
            + Row(34, 6, 0, 5_000, 950)      // line 7: IVA on an exempt factura
            + Row(56, 7, 2_000, 500, 380)    // line 8: nota de débito, exact
            + Row(33, 8, 845, 0, 160);       // line 9: a factura adds IVA to neto, so 161

        var strict = await importer.ImportAsync(ImportKind.Documents, Encoding.UTF8.GetBytes(csv), ImportMode.AllOrNothing);
        Assert.False(strict.Saved);
        Assert.Equal([4L, 5L, 7L, 9L], strict.Errors.Select(e => e.Line));
        Assert.Contains("iva debe ser el 19 % del neto: 190 para un neto de 1000", strict.Errors[0].Message);
        Assert.Contains("iva debe ser el 19 % del neto: 191 para un neto de 1005", strict.Errors[1].Message);
        Assert.Contains("exento", strict.Errors[2].Message);
        Assert.Contains("161 para un neto de 845", strict.Errors[3].Message);
        Assert.Equal(0, await scope.Db.Documents.CountAsync());

        var lenient = await importer.ImportAsync(ImportKind.Documents, Encoding.UTF8.GetBytes(csv), ImportMode.SkipInvalid);
        Assert.Equal(4, lenient.Imported);
        Assert.Equal([1L, 2L, 5L, 7L], await scope.Db.Documents.OrderBy(d => d.Folio).Select(d => d.Folio).ToListAsync());
        _ = DocumentType.Factura;
    }
}
