using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Abono.Tests.Documents.Dte;

namespace Abono.Tests.Documents.Import;

/// <summary>POST /api/v1/documents/xml: raw XML or multipart, idempotent, ProblemDetails in Spanish.</summary>
public class DteImportApiTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private async Task<HttpClient> ApiAsync(Merchant merchant, string scope = "Write")
    {
        var page = await merchant.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "ERP", ["Input.Scope"] = scope });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!);
        return client;
    }

    private static ByteArrayContent Raw(byte[] content, string type = "application/xml")
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(type);
        return body;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Raw_xml_is_imported_and_the_same_file_again_answers_the_same_documents_creating_nothing()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var api = await ApiAsync(s.Merchant);
        var file = DteXmlBuilder.Envio([s.Dte(33, 1), s.Dte(33, 2)]);

        var first = await api.PostAsync("/api/v1/documents/xml", Raw(file, "text/xml"));
        var second = await api.PostAsync("/api/v1/documents/xml", Raw(file));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await JsonAsync(first);
        var b = await JsonAsync(second);
        Assert.Equal((2, 0), (a.GetProperty("imported").GetInt32(), a.GetProperty("alreadyImported").GetInt32()));
        Assert.Equal((0, 2), (b.GetProperty("imported").GetInt32(), b.GetProperty("alreadyImported").GetInt32()));
        var ids = (JsonElement r) => r.GetProperty("results")[0].GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetInt64()).ToList();
        Assert.Equal(ids(a), ids(b));
        Assert.Equal("ya_importado", b.GetProperty("results")[0].GetProperty("documents")[0].GetProperty("outcome").GetString());
        await using var scope = s.Scope();
        Assert.Equal(2, await scope.Db.Documents.CountAsync());
    }

    [Fact]
    public async Task Multipart_files_and_a_zip_over_the_json_limit_are_imported_with_an_idempotency_key_replaying_the_answer()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var api = await ApiAsync(s.Merchant);
        var padding = new string(' ', 1_200_000); // a large export: beyond the 1 MB JSON limit of the API
        var big = DteXmlBuilder.Latin1.GetBytes(DteXmlBuilder.Latin1.GetString(DteXmlBuilder.Dte(s.Dte(33, 3))) + $"<!--{padding}-->");
        using var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(DteXmlBuilder.Dte(s.Dte(33, 1))), "files", "33-1.xml" },
            { new ByteArrayContent(DteImportScenario.Zip(("33-2.xml", DteXmlBuilder.Dte(s.Dte(33, 2))), ("33-3.xml", big))), "files", "lote.zip" },
        };
        var request = () => new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents/xml") { Content = content, Headers = { { "Idempotency-Key", "lote-1" } } };

        var first = await api.SendAsync(request());
        var replay = await api.SendAsync(request());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(3, JsonDocument.Parse(body).RootElement.GetProperty("imported").GetInt32());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(body), System.Text.Json.Nodes.JsonNode.Parse(await replay.Content.ReadAsStringAsync())));
        await using var scope = s.Scope();
        Assert.Equal(3, await scope.Db.Documents.CountAsync());
    }

    [Fact]
    public async Task Wrong_type_too_large_unreadable_and_read_only_keys_get_problem_details_in_spanish()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var api = await ApiAsync(s.Merchant);

        var json = await api.PostAsync("/api/v1/documents/xml", Raw("{}"u8.ToArray(), "application/json"));
        var tooLarge = await api.PostAsync("/api/v1/documents/xml", Raw(new byte[51 * 1024 * 1024]));
        var unreadable = await api.PostAsync("/api/v1/documents/xml", Raw("esto no es xml"u8.ToArray()));
        var empty = await api.PostAsync("/api/v1/documents/xml", Raw([]));
        var readOnly = await (await ApiAsync(s.Merchant, "Read")).PostAsync("/api/v1/documents/xml", Raw(DteXmlBuilder.Dte(s.Dte())));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Contains("application/xml", (await JsonAsync(json)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("supera el máximo de 50 MB", (await JsonAsync(tooLarge)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        var problem = await JsonAsync(unreadable);
        Assert.Equal("No se pudo leer ningún documento en lo que enviaste.", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains("no es un XML válido"), detail);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType!.MediaType);
    }
}
