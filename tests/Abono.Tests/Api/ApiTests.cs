using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Abono.Tests.Api;

/// <summary>/api/v1 with per-company keys: scopes, ProblemDetails, Idempotency-Key, isolation.</summary>
public class ApiTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static async Task<string> CreateKeyAsync(Merchant merchant, string scope = "Write")
    {
        var page = await merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = scope });
        return page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!;
    }

    private HttpClient Api(string? key)
    {
        var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    [Fact]
    public async Task A_write_key_creates_customers_and_documents_and_reads_them_back()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var key = await CreateKeyAsync(merchant);
        Assert.StartsWith("abk_", key);
        var api = Api(key);

        var created = await api.PostAsJsonAsync("/api/v1/customers", new { rut = "12.345.678-5", name = "Cliente API SpA", email = "api@cliente.cl", phone = "9 6123 4567", creditDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var customer = await created.Content.ReadFromJsonAsync<JsonElement>();
        var customerId = customer.GetProperty("id").GetInt64();
        Assert.Equal("+56961234567", customer.GetProperty("phone").GetString());

        var document = await api.PostAsJsonAsync("/api/v1/documents", new
        {
            type = 33, customerId, paymentForm = "credito", lines = new[] { new { description = "Servicio", quantity = 2, unitPrice = 50_000 } },
        });
        Assert.Equal(HttpStatusCode.Created, document.StatusCode);
        var doc = await document.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(119_000, doc.GetProperty("total").GetInt64());
        Assert.Equal(119_000, doc.GetProperty("balance").GetInt64());
        Assert.Equal(1, doc.GetProperty("folio").GetInt64());

        var owed = await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}/owed-documents");
        Assert.Equal(1, owed.GetArrayLength());
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/customers?search=api");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());

        var voided = await api.PostAsync($"/api/v1/documents/{doc.GetProperty("id").GetInt64()}/void", null);
        Assert.Equal(HttpStatusCode.Created, voided.StatusCode);
        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{doc.GetProperty("id").GetInt64()}");
        Assert.Equal(0, after.GetProperty("balance").GetInt64());
        Assert.Equal("pagado", after.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/payments")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.GetAsync($"/api/v1/customers/{customerId}/portal-link")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_answers_problem_details_with_spanish_field_messages_and_saves_nothing()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var api = Api(await CreateKeyAsync(merchant));

        var response = await api.PostAsJsonAsync("/api/v1/customers", new { rut = "12.345.678-9", name = "", email = "malo" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("dígito verificador", errors.GetProperty("Rut")[0].GetString());
        Assert.Contains("nombre", errors.GetProperty("Name")[0].GetString());

        var document = await api.PostAsJsonAsync("/api/v1/documents", new { type = 33, paymentForm = "bitcoin", lines = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, document.StatusCode);
        var malformed = await api.PostAsync("/api/v1/documents", new StringContent("{ no es json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);
        var unknown = await api.PostAsJsonAsync("/api/v1/customers", new { rut = Merchant.NewRut(), name = "X", companyId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Customers.CountAsync());
        Assert.Equal(0, await scope.Db.Documents.CountAsync());
    }

    [Fact]
    public async Task Keys_are_required_scoped_and_revocable()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(null).GetAsync("/api/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api("abk_inventada").GetAsync("/api/v1/customers")).StatusCode);

        var readOnly = await CreateKeyAsync(merchant, "Read");
        Assert.Equal(HttpStatusCode.OK, (await Api(readOnly).GetAsync("/api/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api(readOnly).PostAsJsonAsync("/api/v1/customers", new { rut = Merchant.NewRut(), name = "X" })).StatusCode);

        var page = await merchant.Client.GetAsync("/configuracion/api");
        await merchant.Client.SubmitAsync(page, new Dictionary<string, string?>(), button: "form[action*='handler=Revoke'] button");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(readOnly).GetAsync("/api/v1/customers")).StatusCode);

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.DoesNotContain(await scope.Db.ApiKeys.Select(k => k.KeyHash).ToListAsync(), h => h.Contains(readOnly));
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_replays_a_different_body_is_refused()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var api = Api(await CreateKeyAsync(merchant));
        var rut = Merchant.NewRut();
        HttpRequestMessage Request(string name) => new(HttpMethod.Post, "/api/v1/customers")
        {
            Content = JsonContent.Create(new { rut, name }),
            Headers = { { "Idempotency-Key", "alta-cliente-1" } },
        };

        var first = await api.SendAsync(Request("Cliente Idempotente"));
        var again = await api.SendAsync(Request("Cliente Idempotente"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.SendAsync(Request("Cliente Idempotente"))));
        var different = await api.SendAsync(Request("Otro nombre"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.All(concurrent, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Equal((HttpStatusCode)422, different.StatusCode);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(1, await scope.Db.Customers.CountAsync());
    }

    [Fact]
    public async Task A_key_sees_only_its_own_company()
    {
        var a = await Merchant.SignUpAsync(factory);
        var customer = await a.CreateCustomerAsync(name: "Secreto de A");
        var document = Merchant.IdFrom(await a.IssueAsync(33, customer, [("X", 1, 1_000)]));
        var b = Api(await CreateKeyAsync(await Merchant.SignUpAsync(factory)));

        foreach (var url in new[] { $"/api/v1/customers/{customer}", $"/api/v1/documents/{document}", $"/api/v1/customers/{customer}/owed-documents", $"/api/v1/customers/{customer}/portal-link" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(url)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/v1/documents/{document}/void", null)).StatusCode);
        Assert.DoesNotContain("Secreto de A", await b.GetStringAsync("/api/v1/customers"));
        Assert.DoesNotContain("Secreto de A", await b.GetStringAsync("/api/v1/documents"));
    }

    [Fact]
    public async Task The_openapi_document_and_reference_are_served_locally()
    {
        var client = factory.CreateClient();
        var doc = await client.GetStringAsync("/api/openapi/v1.json");
        Assert.Contains("/api/v1/documents", doc);
        var ui = await client.GetAsync("/api/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }
}

public class ApiPortalTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Every_read_endpoint_and_the_portal_link_answer_for_a_business_with_the_portal()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var page = await s.Merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = "Write" });
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!);

        var customer = await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{s.CustomerId}");
        Assert.Equal("Cliente Portal Ltda.", customer.GetProperty("name").GetString());
        var documents = await api.GetFromJsonAsync<JsonElement>($"/api/v1/documents?customerId={s.CustomerId}&limit=1");
        Assert.Equal(1, documents.GetProperty("items").GetArrayLength());
        var next = documents.GetProperty("nextCursor").GetString();
        var second = await api.GetFromJsonAsync<JsonElement>($"/api/v1/documents?customerId={s.CustomerId}&limit=1&cursor={next}");
        Assert.NotEqual(documents.GetProperty("items")[0].GetProperty("id").GetInt64(), second.GetProperty("items")[0].GetProperty("id").GetInt64());
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{s.DocumentIds[0]}");
        Assert.Equal(1, detail.GetProperty("lines").GetArrayLength());

        var link = await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{s.CustomerId}/portal-link");
        var url = link.GetProperty("url").GetString()!;
        Assert.Contains("/portal/c/", url);
        var regenerated = await api.PostAsync($"/api/v1/customers/{s.CustomerId}/portal-link/regenerate", null);
        var newUrl = (await regenerated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        Assert.NotEqual(url, newUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(new Uri(url).PathAndQuery)).StatusCode);

        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer, [s.DocumentIds[0]]);
        var payments = await api.GetFromJsonAsync<JsonElement>("/api/v1/payments");
        var payment = payments.GetProperty("items")[0];
        Assert.Equal(11_900, payment.GetProperty("amount").GetInt64());
        Assert.Equal(s.DocumentIds[0], payment.GetProperty("allocations")[0].GetProperty("documentId").GetInt64());

        var huge = await api.PostAsync("/api/v1/customers", new StringContent("{\"name\":\"" + new string('x', 2_000_000) + "\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }
}
