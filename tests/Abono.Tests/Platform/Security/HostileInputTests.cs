using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// Issue 14, item 5: hostile input that used to answer 500. Each case must get a clear 400 (the Spanish error page,
/// a Spanish field error or ProblemDetails) and write nothing.
/// </summary>
public class HostileInputTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    /// <summary>Bodies that declare multipart/form-data (or a form) and are not one; the form reader throws on each.</summary>
    public static TheoryData<string, string> MalformedForms() => new()
    {
        { "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n" },                  // no boundary
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb" },                      // cut short
        { "multipart/form-data; boundary=x", "esto no es multipart" },                                                           // no boundary line at all
        { "multipart/form-data; boundary=x", "--x\r\n" + new string('H', 20_000) + "\r\n\r\nb\r\n--x--\r\n" },                   // header too long
        { "multipart/form-data; boundary=" + new string('b', 200), "--" + new string('b', 200) + "\r\n\r\n" },                    // boundary too long
        { "multipart/form-data; boundary=\"", "--\r\n" },                                                                         // broken quoting
        { "application/x-www-form-urlencoded", new string('k', 5_000) + "=v" },                                                  // key too long
        { "application/x-www-form-urlencoded", string.Join("&", Enumerable.Range(0, 1_100).Select(i => $"k{i}=v")) },            // too many fields
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task A_malformed_form_body_is_a_400_on_every_route_and_creates_nothing(string contentType, string body)
    {
        var companies = await CountAsync("Companies");
        foreach (var path in new[] { "/ingresar", "/crear-cuenta", "/portal/NOEXISTE", "/clientes/nuevo", "/no-existe", "/api/v1/customers", "/webhooks/mercadopago/x", "/" })
        {
            using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var response = await client.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} ({contentType}) answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            if (path.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("formulario", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
            }
            else
            {
                Assert.Contains("Solicitud no válida", text);
            }
        }
        Assert.Equal(companies, await CountAsync("Companies"));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<string> CreateKeyAsync(Merchant merchant)
    {
        var page = await merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = "Write" });
        return page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!;
    }

    private HttpClient Api(string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task A_NUL_character_anywhere_in_API_JSON_is_a_Spanish_400_and_nothing_is_stored()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var api = Api(await CreateKeyAsync(merchant));
        var customerId = await merchant.CreateCustomerAsync();
        string[] bodies =
        [
            $$"""{"rut":"{{Merchant.NewRut()}}","name":"Cliente\u0000SpA","email":"a@b.cl","creditDays":30}""",
            $$"""{"rut":"{{Merchant.NewRut()}}","name":"Cliente SpA","address":"Calle \u0000 1"}""",
            $$"""{"rut\u0000":"x","name":"Cliente SpA"}""",
        ];
        foreach (var body in bodies)
        {
            var response = await api.PostAsync("/api/v1/customers", new StringContent(body, Encoding.UTF8, "application/json"));
            await AssertNulRefusedAsync(response);
        }
        var document = await api.PostAsync("/api/v1/documents", new StringContent(
            $$"""{"type":33,"customerId":{{customerId}},"paymentForm":"credito","lines":[{"description":"Servicio\u0000","quantity":1,"unitPrice":1000}]}""",
            Encoding.UTF8, "application/json"));
        await AssertNulRefusedAsync(document);
        // An escaped backslash followed by "u0000" is six ordinary characters, not a NUL: accepted.
        var fine = await api.PostAsync("/api/v1/customers", new StringContent(
            $$"""{"rut":"{{Merchant.NewRut()}}","name":"Cliente \\u0000 SpA"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(2, await scope.Db.Customers.CountAsync());
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }

    private static async Task AssertNulRefusedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("carácter nulo", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_CSV_import_with_a_NUL_character_names_the_line_and_imports_nothing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var csv = "rut;nombre;email;telefono;direccion;dias_credito\n"
            + $"{Merchant.NewRut()};Cliente Uno;uno@cliente.cl;+56961234567;Calle 1;30\n"
            + $"{Merchant.NewRut()};Cliente\0Dos;dos@cliente.cl;+56961234567;Calle 2;30\n";
        foreach (var mode in new[] { "AllOrNothing", "SkipInvalid" })
        {
            var page = await merchant.Client.GetAsync("/importar");
            var token = page.Document.QuerySelector("main form input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent("Customers"), "Tipo" },
                { new StringContent(mode), "Modo" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "Archivo", "clientes.csv" },
            };
            var response = await merchant.Client.Http.PostAsync("/importar", form);
            var result = await AppClient.Page.ReadAsync(response, "/importar");
            Assert.True(result.Status == HttpStatusCode.OK, $"{mode}: answered {(int)result.Status}");
            Assert.Contains("Línea 3: tiene un carácter nulo", result.Text);
            Assert.Contains("No se importó nada", result.Text);
        }
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Customers.CountAsync());
    }

    [Theory]
    [InlineData("9999-12-31", null)]
    [InlineData("0001-01-01", null)]
    [InlineData(null, "9999-12-31")]
    [InlineData(null, "0001-01-01")]
    public async Task An_absurd_date_in_the_issue_form_is_a_Spanish_field_error_and_issues_nothing(string? issueDate, string? dueDate)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var extra = new Dictionary<string, string?>();
        if (issueDate is not null) { extra["Input.IssueDate"] = issueDate; }
        if (dueDate is not null) { extra["Input.DueDate"] = dueDate; }
        foreach (var url in new[] { "/documentos/nuevo", "/punto-de-venta" })
        {
            var page = await merchant.IssueAsync(url == "/punto-de-venta" ? 39 : 33, customer, [("Servicio", 1, 10_000)],
                paymentForm: url == "/punto-de-venta" ? "Efectivo" : "Credito", extra: extra, url: url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var field = issueDate is not null ? "Input.IssueDate" : "Input.DueDate";
            var error = page.FieldError(field);
            Assert.False(error is null, $"{url}: no error next to {field}: {page.Text[..Math.Min(400, page.Text.Length)]}");
            Assert.Contains("fecha", error);
        }
        // The Calcular button validates the same way, without issuing.
        var form = await merchant.Client.GetAsync("/documentos/nuevo");
        var values = new Dictionary<string, string?>(extra)
        {
            ["Input.Type"] = "33", ["Input.CustomerId"] = customer.ToString(), ["Input.SinglePaymentForm"] = "Credito",
            ["Input.Lines[0].Description"] = "Servicio", ["Input.Lines[0].Quantity"] = "1", ["Input.Lines[0].UnitPrice"] = "1000",
        };
        var calculated = await merchant.Client.SubmitAsync(form, values, button: "button[formaction*='handler=Calculate']");
        Assert.Equal(HttpStatusCode.OK, calculated.Status);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }

    [Theory]
    [InlineData("9999-12-31", null, "issueDate")]
    [InlineData("0001-01-01", null, "issueDate")]
    [InlineData(null, "9999-12-31", "dueDate")]
    [InlineData(null, "0001-01-01", "dueDate")]
    public async Task An_absurd_date_in_the_API_is_a_validation_problem_and_issues_nothing(string? issueDate, string? dueDate, string field)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var api = Api(await CreateKeyAsync(merchant));
        var customerId = await merchant.CreateCustomerAsync();
        var response = await api.PostAsJsonAsync("/api/v1/documents", new
        {
            type = 33, customerId, issueDate, dueDate, paymentForm = "credito",
            lines = new[] { new { description = "Servicio", quantity = 1, unitPrice = 10_000 } },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        var messages = errors.EnumerateObject().Where(p => p.Name.Equals(field, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value.EnumerateArray()).ToList();
        Assert.True(messages.Count > 0, text);
        Assert.Contains("fecha", messages[0].GetString());
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }
}

/// <summary>Damaged forms are parsed only once the rate limiter let the request in: a flood of them meets 429s.</summary>
public class HostileInputRateLimitTests(HostileInputRateLimitTests.LimitedFactory factory) : IClassFixture<HostileInputRateLimitTests.LimitedFactory>
{
    public sealed class LimitedFactory : AbonoFactory
    {
        protected override bool RateLimited => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:PerMinute:Auth", "3");
        }
    }

    [Fact]
    public async Task Malformed_bodies_count_against_the_limit_and_past_it_are_not_read()
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb");
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
            statuses.Add((await client.PostAsync("/ingresar", content)).StatusCode);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
    }
}

/// <summary>Plain HTTP reaching a Production instance (a proxy sending http, a typed http:// link).</summary>
public class PlainHttpInProductionTests
{
    [PostgresFact]
    public async Task A_plain_http_request_is_sent_to_https_or_refused_never_a_500()
    {
        await using var production = new ProductionFactory();
        using var http = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") });

        // A page with a form (its antiforgery cookie is Secure-only): redirected to the same page on our https address.
        foreach (var path in new[] { "/ingresar", "/crear-cuenta?x=1", "/portal/ABC" })
        {
            var response = await http.GetAsync(path);
            Assert.True((int)response.StatusCode is 301 or 308, $"GET {path} answered {(int)response.StatusCode}");
            Assert.Equal("https://pagos.example.cl" + path, response.Headers.Location?.ToString());
        }
        // A form posted over http is not replayed elsewhere: 400 with the Spanish page, nothing signed up.
        var post = await http.PostAsync("/crear-cuenta", new FormUrlEncodedContent([new("Input.Email", "a@b.cl")]));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("https", await post.Content.ReadAsStringAsync());
        // The API over http: the key already crossed in clear; refused, not redirected (a client would send it again).
        var api = await http.GetAsync("/api/v1/customers");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        // Load balancers probe health over plain http inside the network.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        // Over https the same page works, with its Secure antiforgery cookie.
        using var https = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var page = await https.GetAsync("/ingresar");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-abono.af=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
