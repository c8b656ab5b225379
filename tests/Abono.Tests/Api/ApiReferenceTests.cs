using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Abono.Web.Features.Sandbox;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Abono.Tests.Api;

/// <summary>/api/docs for people: the OpenAPI document behind it is in Spanish, with CLP and RUT examples, and lists the public API only.</summary>
public class ApiReferenceTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static readonly string[] EnglishDefaults = ["OK", "Created", "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Conflict", "Payload Too Large", "Unsupported Media Type"];

    private async Task<JsonElement> DocumentAsync() => await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi/v1.json");

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)));

    [Fact]
    public async Task The_reference_lists_every_api_v1_operation_and_nothing_else_not_the_sandboxs_endpoints()
    {
        // This host has the Pasarela de prueba (its hosted page and its return), as the demo does.
        Assert.True(factory.Services.GetRequiredService<SandboxMode>().Enabled);
        var document = await DocumentAsync();

        var documented = Operations(document).Select(o => $"{o.Method} {o.Path}").ToHashSet();
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Replace("//", "/").StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                $"{method} {Regex.Replace(e.RoutePattern.RawText!.Replace("//", "/"), @"\{(\w+):[^}]+\}", "{$1}")}"))
            .ToHashSet();

        Assert.NotEmpty(mapped);
        Assert.Equal(mapped.Order(), documented.Order());
        Assert.All(document.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name));
        Assert.DoesNotContain(document.GetRawText(), "sandbox", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/webhooks/", document.GetRawText());
    }

    [Fact]
    public async Task Every_operation_parameter_and_answer_is_described_in_spanish()
    {
        var document = await DocumentAsync();
        Assert.Equal("API de Abono", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Contains("pesos chilenos (CLP), enteros y sin decimales", document.GetProperty("info").GetProperty("description").GetString());
        Assert.Equal(new[] { "Cesiones y reclamos", "Clientes", "Documentos", "Pagos" },
            document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order().ToArray());
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());

        foreach (var (method, path, operation) in Operations(document))
        {
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{name} has no summary");
            Assert.Single(operation.GetProperty("tags").EnumerateArray());
            var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            Assert.All(parameters, parameter => Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()),
                $"{name}: parameter {parameter.GetProperty("name")} has no description"));
            if (method == "POST")
            {
                Assert.Contains(parameters, parameter => parameter.GetProperty("name").GetString() == "Idempotency-Key" && parameter.GetProperty("in").GetString() == "header");
            }
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                var description = response.Value.GetProperty("description").GetString();
                Assert.DoesNotContain(description, EnglishDefaults);
                Assert.False(string.IsNullOrWhiteSpace(description), $"{name}: answer {response.Name} has no description");
            }
        }
        var createCustomer = document.GetProperty("paths").GetProperty("/api/v1/customers").GetProperty("post");
        Assert.Equal("Crear un cliente", createCustomer.GetProperty("summary").GetString());
        Assert.Equal("Falta una API key válida (Authorization: Bearer abk_…).", createCustomer.GetProperty("responses").GetProperty("401").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Fields_are_described_with_amounts_in_whole_pesos_and_ruts_with_dots_and_dash()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        foreach (var type in new[] { "CustomerDto", "CustomerRequest", "DocumentDto", "DocumentRequest", "DocumentLineRequest", "PaymentDto", "AllocationDto", "PortalLinkDto" })
        {
            foreach (var property in schemas.GetProperty(type).GetProperty("properties").EnumerateObject().Where(p => !p.Value.TryGetProperty("$ref", out _)))
            {
                Assert.True(property.Value.TryGetProperty("description", out var d) && d.GetString()!.Length > 0, $"{type}.{property.Name} has no description");
            }
        }

        // Every amount in pesos has a whole-number example, documented as an integer (not "integer or string").
        var amounts = schemas.EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var ps) ? ps.EnumerateObject().Select(p => (Name: $"{s.Name}.{p.Name}", p.Value)) : [])
            .Where(p => p.Value.TryGetProperty("description", out var d) && d.GetString()!.Contains("en pesos"))
            .ToList();
        Assert.Contains(amounts, a => a.Name == "DocumentDto.total");
        Assert.All(amounts, a =>
        {
            Assert.True(a.Value.GetProperty("examples")[0].TryGetInt64(out _), $"{a.Name}'s example is not whole pesos");
            Assert.DoesNotContain("string", a.Value.GetProperty("type").ToString());
        });
        Assert.Equal(119000, schemas.GetProperty("DocumentDto").GetProperty("properties").GetProperty("total").GetProperty("examples")[0].GetInt64());

        // RUTs as Chileans write them, and real ones (a "Try it out" with the example is accepted).
        var ruts = schemas.EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var ps) ? ps.EnumerateObject().Where(p => p.Name.EndsWith("ut", StringComparison.Ordinal)).Select(p => p.Value) : [])
            .Where(p => p.TryGetProperty("examples", out _))
            .Select(p => p.GetProperty("examples")[0].GetString()!)
            .ToList();
        Assert.NotEmpty(ruts);
        Assert.All(ruts, rut =>
        {
            Assert.Matches(@"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$", rut);
            Assert.True(Rut.TryParse(rut, out _), $"{rut} is not a valid RUT");
        });

        // A request lists as required only what it needs.
        Assert.Equal(new[] { "name", "rut" }, schemas.GetProperty("CustomerRequest").GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order().ToArray());
        Assert.Contains("+56 9 1234 5678", schemas.GetProperty("CustomerRequest").GetProperty("properties").GetProperty("phone").GetProperty("examples")[0].GetString());
    }
}
