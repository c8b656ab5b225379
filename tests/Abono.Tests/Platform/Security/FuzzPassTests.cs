using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Abono.Web.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Xunit.Abstractions;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// The standing fuzz pass (issue 14): every endpoint of the app's own route table (Razor pages with each handler, the
/// minimal endpoints) and every operation of its OpenAPI document gets hostile requests — strings, numbers, dates,
/// sizes, encodings, wrong content types, damaged multipart and JSON, missing and forged antiforgery tokens — as
/// anonymous, as the administrator of one company, with that company's API key and as an identified payer of another
/// company. Bounded and deterministic: ABONO_FUZZ_REQUESTS (default 3000) requests from ABONO_FUZZ_SEED (default 14);
/// ABONO_FUZZ_VERBOSE=1 adds each endpoint's answers by status to the test output. A request is hostile through and
/// through (chaos), or valid but for one or two fields (mutant: it gets past the first checks into saving, folios and
/// balances), or valid (so the success paths run between the refusals).
/// <para>
/// Asserts: no 5xx (nor an exception escaping the server), and no partial write. Requests run one at a time; after
/// each one a single query takes the row count of every table and the sums of document balances and payment amounts.
/// A refused request (4xx, or a redirect to sign in) must leave that snapshot exactly as it found it. A request the
/// app accepts (2xx, 3xx) may legitimately write — a fuzzed form can be valid — so its snapshot becomes the new
/// baseline for the next one: every refusal is checked on its own, attributed to the very request, and nothing a
/// success wrote is mistaken for a leak. Company B (the payer's) is reachable only through the payer and anonymous
/// identities, so what the administrator of A changes cannot break the payer's session.
/// </para>
/// </summary>
public class FuzzPassTests(AbonoFactory factory, ITestOutputHelper output) : IClassFixture<AbonoFactory>
{
    /// <summary>
    /// Tables a refusal writes to by design: a refused API call with an Idempotency-Key stores its answer (a retry gets
    /// the same refusal), and failed identifications or sign-ins are counted (that is what throttles them).
    /// </summary>
    private static bool WrittenOnRefusalByDesign(string table) =>
        table is "IdempotencyRecords" || table.Contains("Failure", StringComparison.Ordinal) || table.Contains("Attempt", StringComparison.Ordinal);

    /// <summary>
    /// 5xx found in files other sessions are changing for issue 14 (Features/Account, Portal/Index, the limiter, Webhooks,
    /// CsvImporter, the CSV reports, Dev): reported to them rather than fixed here. Printed with the figures on every run
    /// while they still happen; delete an entry once its fix lands.
    /// </summary>
    private static readonly (string Endpoint, string Cause, string Where)[] ReportedElsewhere =
    [
    ];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    [Fact]
    public async Task Hostile_requests_to_every_endpoint_never_answer_5xx_nor_write_when_refused()
    {
        var seed = Setting("ABONO_FUZZ_SEED", 14);
        var budget = Setting("ABONO_FUZZ_REQUESTS", 3000);
        var clock = Stopwatch.StartNew();
        var world = await World.CreateAsync(factory);
        var targets = await DiscoverAsync(world);
        var plan = Plan(targets, budget, new Random(seed));

        var random = new Random(seed);
        var generator = new Generator(random, world);
        await using var snapshots = await Snapshots.OpenAsync(factory);
        var baseline = await snapshots.TakeAsync();
        // Failures grouped by endpoint and cause, so one bug hit a hundred times reads as one line with its first request.
        var failures = new Dictionary<string, (int Count, string First)>();
        void Fail(Target target, string cause, string detail)
        {
            var signature = $"{target.Label} → {cause}";
            failures[signature] = failures.TryGetValue(signature, out var seen) ? (seen.Count + 1, seen.First) : (1, detail);
        }
        var sent = new Dictionary<string, int>();
        var statuses = new SortedDictionary<int, int>();
        var byEndpoint = new Dictionary<string, SortedDictionary<int, int>>();
        var refused = 0;
        var accepted = 0;
        var reestablished = 0;
        foreach (var (target, planned) in plan)
        {
            // A payer that could not identify again (see ReestablishIfLostAsync) leaves its share to anonymous.
            var identityName = world.Identities[planned].Dead ? "anonymous" : planned;
            var identity = world.Identities[identityName];
            using var request = generator.Build(target, identity);
            var description = Describe(identityName, request, generator.LastBody);
            sent[target.Label] = sent.GetValueOrDefault(target.Label) + 1;
            var logged = factory.Logs.Lines.Count;
            HttpResponseMessage response;
            try
            {
                response = await identity.Client.Http.SendAsync(request);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Fail(target, $"threw {ex.GetType().Name}: {Printable(ex.Message, 120)}", $"{description}\n    {LastServerError(logged)}");
                baseline = await snapshots.TakeAsync();
                continue;
            }
            using (response)
            {
                await response.Content.ReadAsByteArrayAsync();
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var mine = byEndpoint.TryGetValue(target.Label, out var m) ? m : byEndpoint[target.Label] = new SortedDictionary<int, int>();
                mine[status] = mine.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    var error = LastServerError(logged);
                    Fail(target, $"{status} {Cause(error)}", $"{description}\n    {error}");
                }
                var location = response.Headers.Location?.OriginalString ?? "";
                var wasRefused = status >= 400
                    || (status is >= 300 and < 400 && (location.Contains("ReturnUrl=", StringComparison.Ordinal) || location.StartsWith("/acceso-denegado", StringComparison.Ordinal)));
                var after = await snapshots.TakeAsync();
                if (wasRefused)
                {
                    refused++;
                    if (after.DifferenceFrom(baseline) is { } difference)
                    {
                        Fail(target, $"refused with {status} but wrote to {string.Join(", ", after.ChangedFrom(baseline))}", $"{description}\n    wrote: {difference}");
                    }
                }
                else
                {
                    accepted++;
                }
                baseline = after;
                if (await world.ReestablishIfLostAsync(identity, request, response))
                {
                    reestablished++;
                    baseline = await snapshots.TakeAsync();
                }
            }
        }

        var reported = new List<string>();
        foreach (var (endpoint, cause, where) in ReportedElsewhere)
        {
            foreach (var known in failures.Keys.Where(k => k.StartsWith(endpoint + " → ", StringComparison.Ordinal) && k.Contains(cause, StringComparison.Ordinal)).ToList())
            {
                reported.Add($"  known 5xx, reported, not fixed here ({failures[known].Count}×): {known} — {where}");
                failures.Remove(known);
            }
        }
        var pages = targets.Count(t => t.Kind == TargetKind.Page);
        var apis = targets.Count(t => t.Kind == TargetKind.Api);
        TestFigures.Report(output, $"fuzz pass: {sent.Values.Sum()} requests (seed {seed}) over {sent.Count} endpoints — {pages} page handlers, "
            + $"{apis} OpenAPI operations, {targets.Count - pages - apis} other minimal endpoints; {refused} refused, {accepted} accepted, "
            + $"{reestablished} sessions re-established{(world.Identities["payer"].Dead ? " (payer lost)" : "")}, {failures.Count} failures, {reported.Count} known, {clock.Elapsed.TotalSeconds:F0} s");
        TestFigures.Report(output, "  answers: " + string.Join(" · ", statuses.Select(x => $"{x.Key}×{x.Value}")));
        if (Environment.GetEnvironmentVariable("ABONO_FUZZ_VERBOSE") is { Length: > 0 })
        {
            foreach (var (label, counts) in byEndpoint.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {label}: {string.Join(" ", counts.Select(x => $"{x.Key}×{x.Value}"))}");
            }
        }
        foreach (var line in reported)
        {
            TestFigures.Report(output, line);
        }
        foreach (var line in Columns(sent.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value,3} {s.Key}")))
        {
            TestFigures.Report(output, "  " + line);
        }
        Assert.True(sent.Values.Sum() >= budget * 9 / 10 || failures.Count > 0, $"only {sent.Values.Sum()} of {budget} requests were sent");
        Assert.True(failures.Count == 0,
            $"{failures.Count} kinds of fuzz failure (seed {seed}; rerun with ABONO_FUZZ_SEED={seed} ABONO_FUZZ_REQUESTS={budget}):\n"
            + string.Join("\n", failures.Take(20).Select(f => $"{f.Key} ({f.Value.Count}×), first:\n    {f.Value.First}")));
    }

    /// <summary>The exception's type, message and first frame of our code: what tells two bugs apart.</summary>
    private static string Cause(string error)
    {
        var type = System.Text.RegularExpressions.Regex.Match(error, @"(System\.[A-Za-z.]+Exception|[A-Za-z.]+Exception): ([^\\]{0,80})");
        var frame = System.Text.RegularExpressions.Regex.Match(error, @"at (Abono\.Web\.[A-Za-z0-9_.<>]+)");
        return type.Success ? $"{type.Groups[1].Value}: {type.Groups[2].Value} at {frame.Groups[1].Value}" : "";
    }

    private string LastServerError(int since) =>
        factory.Logs.Lines.Skip(since).LastOrDefault(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)) is { } line
            ? Printable(line, 1500)
            : "(no error logged)";

    private static string Describe(string identity, HttpRequestMessage request, string? body) =>
        $"[{identity}] {request.Method} {Printable(request.RequestUri?.OriginalString ?? "", 300)}"
        + (request.Content?.Headers.ContentType is { } type ? $" ({Printable(type.ToString(), 80)})" : "")
        + (body is { Length: > 0 } ? $" body: {Printable(body, 400)}" : "");

    /// <summary>Control and invisible characters made visible, long values cut: a failure must be readable and copyable.</summary>
    private static string Printable(string text, int max)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            builder.Append(char.IsControl(c) || c is '\u200B' or '\u202E' or '\uFEFF' ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return text.Length > max ? builder + $"…(+{text.Length - max})" : builder.ToString();
    }

    private static IEnumerable<string> Columns(IEnumerable<string> items)
    {
        var line = new StringBuilder();
        foreach (var item in items)
        {
            if (line.Length > 0 && line.Length + item.Length > 150)
            {
                yield return line.ToString();
                line.Clear();
            }
            line.Append(line.Length > 0 ? " · " : "").Append(item);
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What is fuzzed: found in the route table and the OpenAPI document, never listed by hand.

    internal enum TargetKind { Page, Api, Minimal }

    internal sealed record Field(string Name, Type Type, bool IsFile);

    internal sealed record ApiParameter(string Name, string In, JsonNode? Schema);

    internal sealed record Target(string Label, TargetKind Kind, string Method, RoutePattern Pattern, string? Handler, IReadOnlyList<Field> Fields,
        IReadOnlyList<ApiParameter> Parameters, JsonNode? Body, string[] Identities);

    private static async Task<List<Target>> DiscoverAsync(World world)
    {
        var services = world.Factory.Services;
        var loader = services.GetRequiredService<PageLoader>();
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var targets = new List<Target>();
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null))
        {
            var page = await loader.LoadAsync(endpoint.Metadata.GetMetadata<PageActionDescriptor>()!, endpoint.Metadata);
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var bound = page.BoundProperties.SelectMany(p => Expand(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, 0)).ToList();
            var handlers = page.HandlerMethods
                .Select(h => (Method: h.HttpMethod, h.Name, Fields: h.Parameters.SelectMany(p => Expand(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, 0)).ToList()))
                .ToList();
            if (handlers.Count == 0)
            {
                // A page without handler methods still answers GET (and POST, with antiforgery).
                handlers.Add(("GET", null, []));
                handlers.Add(("POST", null, []));
            }
            foreach (var (method, name, fields) in handlers)
            {
                var verb = method.ToUpperInvariant();
                if (verb is not ("GET" or "POST"))
                {
                    continue;
                }
                string[] identities = raw.StartsWith("/portal", StringComparison.Ordinal) ? ["anonymous", "payer", "admin"] : ["anonymous", "admin"];
                // Signing out would only end the fuzz's own sessions.
                if (raw is "/salir" or "/portal/{code}/salir")
                {
                    identities = ["anonymous"];
                }
                targets.Add(new Target($"{verb} {raw}{(name is null ? "" : $" [{name}]")}", TargetKind.Page, verb, endpoint.RoutePattern, name,
                    bound.Concat(fields).DistinctBy(f => f.Name).ToList(), [], null, identities));
            }
        }

        // The API as its OpenAPI document describes it: the operations, their parameters and request bodies.
        using var anonymous = world.Factory.CreateClient();
        var openApi = JsonNode.Parse(await anonymous.GetStringAsync("/api/openapi/v1.json"))!;
        world.OpenApi = openApi;
        var described = new HashSet<string>();
        foreach (var (path, item) in openApi["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete"))
            {
                var verb = method.ToUpperInvariant();
                var endpoint = endpoints.FirstOrDefault(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(verb) == true
                    && Normalize("/" + (e.RoutePattern.RawText ?? "").TrimStart('/')) == Normalize(path));
                Assert.True(endpoint is not null, $"OpenAPI {verb} {path} matches no route");
                described.Add($"{verb} {Normalize(path)}");
                var parameters = (operation!["parameters"]?.AsArray() ?? []).Select(p => new ApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["schema"])).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                targets.Add(new Target($"{verb} {path}", TargetKind.Api, verb, endpoint!.RoutePattern, null, [], parameters, body, ["api", "api", "api", "anonymous"]));
            }
        }

        // Minimal endpoints the document leaves out (provider webhooks, health, the document itself).
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null))
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            foreach (var verb in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
            {
                if (described.Contains($"{verb} {Normalize(raw)}"))
                {
                    continue;
                }
                Assert.False(raw.StartsWith("/api/v1", StringComparison.Ordinal), $"{verb} {raw} is missing from the OpenAPI document");
                targets.Add(new Target($"{verb} {raw}", TargetKind.Minimal, verb, endpoint.RoutePattern, null, [], [], null, ["anonymous"]));
            }
        }
        Assert.True(targets.Count(t => t.Kind == TargetKind.Page) > 50, "the route table shows too few pages");
        Assert.True(targets.Count(t => t.Kind == TargetKind.Api) >= 10, "the OpenAPI document shows too few operations");
        return targets;

        static string Normalize(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:?]+)[^}]*\}", "{$1}").TrimEnd('/');
    }

    /// <summary>The form field names model binding reads for a type, as the pages' forms name them.</summary>
    private static IEnumerable<Field> Expand(string prefix, Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(CancellationToken))
        {
            yield break;
        }
        if (typeof(IFormFile).IsAssignableFrom(type) || typeof(IFormFileCollection).IsAssignableFrom(type))
        {
            yield return new Field(prefix, type, true);
            yield break;
        }
        if (Generator.IsSimple(type))
        {
            yield return new Field(prefix, type, false);
            yield break;
        }
        if (depth > 3)
        {
            yield break;
        }
        var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            var (key, value) = (dictionary.GetGenericArguments()[0], dictionary.GetGenericArguments()[1]);
            var keys = key.IsEnum ? Enum.GetNames(key).Append("Otro") : ["Bank", "AccountNumber", "ApiKey", "x"];
            foreach (var k in keys.Take(6))
            {
                foreach (var field in Expand($"{prefix}[{k}]", value, depth + 1))
                {
                    yield return field;
                }
            }
            yield break;
        }
        var element = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element is not null && type != typeof(string))
        {
            if (Generator.IsSimple(Nullable.GetUnderlyingType(element) ?? element))
            {
                yield return new Field(prefix, element, false);
                yield break;
            }
            foreach (var index in new[] { 0, 1 })
            {
                foreach (var field in Expand($"{prefix}[{index}]", element, depth + 1))
                {
                    yield return field;
                }
            }
            yield break;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead
            && (p.SetMethod?.IsPublic == true || !Generator.IsSimple(p.PropertyType))))
        {
            foreach (var field in Expand($"{prefix}.{property.Name}", property.PropertyType, depth + 1))
            {
                yield return field;
            }
        }
    }

    /// <summary>The budget spread over targets (signed-in ones weigh more: they reach deeper), in a seeded shuffle.</summary>
    private static List<(Target Target, string Identity)> Plan(List<Target> targets, int budget, Random random)
    {
        var slots = targets.SelectMany(t => t.Identities.Select(i => (Target: t, Identity: i, Weight: i == "anonymous" && t.Kind == TargetKind.Page && !t.Identities.Contains("payer") ? 1 : 3))).ToList();
        var total = slots.Sum(s => s.Weight);
        var plan = slots.SelectMany(s => Enumerable.Repeat((s.Target, s.Identity), Math.Max(1, (int)Math.Round((double)budget * s.Weight / total)))).ToList();
        while (plan.Count < budget)
        {
            var slot = slots[random.Next(slots.Count)];
            plan.Add((slot.Target, slot.Identity));
        }
        return plan.OrderBy(_ => random.Next()).Take(budget).ToList();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Who sends them, and the data they aim at.

    internal sealed class Identity(string name)
    {
        public string Name => name;
        public required AppClient Client { get; set; }
        public string? AntiforgeryToken { get; set; }
        public string? ApiKey { get; set; }
        public bool Dead { get; set; }
    }

    internal sealed class World
    {
        public required AbonoFactory Factory { get; init; }
        public required PortalScenario A { get; init; }
        public required PortalScenario B { get; init; }
        public required Merchant AdminOfA { get; set; }
        public required Dictionary<string, Identity> Identities { get; init; }
        public required List<string> Ids { get; init; }
        public required List<string> Guids { get; init; }
        public required List<string> Tokens { get; init; }
        public required List<string> CustomersOfA { get; init; }
        public required List<string> DocumentsOfA { get; init; }
        public required List<string> ProductsOfA { get; init; }
        public required List<string> MethodsOfA { get; init; }
        public JsonNode? OpenApi { get; set; }

        public static async Task<World> CreateAsync(AbonoFactory factory)
        {
            var a = await PortalScenario.CreateAsync(factory, allowPartial: true, documents: 2);
            var b = await PortalScenario.CreateAsync(factory, allowPartial: true, documents: 3);
            await a.Merchant.Client.FillAsync("/productos/nuevo", new Dictionary<string, string?> { ["Input.Code"] = "F1", ["Input.Name"] = "Fuzz", ["Input.UnitPrice"] = "1000" });
            var payer = await b.IdentifiedPayerAsync();
            // A checkout waiting at the test gateway, so its pages (sandbox, result, return) have a real id to aim at.
            await b.PayAsync(payer, [b.DocumentIds[0]], decision: "none");
            string linkToken;
            await using (var scope = factory.ScopeFor(b.Merchant.CompanyId))
            {
                linkToken = (await scope.Get<Abono.Web.Features.CustomerLinks.CustomerPortalLinks>().CurrentOrNewAsync(b.CustomerId, CancellationToken.None)).Token;
            }
            var ids = new List<string>();
            var guids = new List<string>();
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
                ids.AddRange((await db.Customers.IgnoreQueryFilters().Select(c => c.Id).ToListAsync()).Select(i => i.ToString()));
                ids.AddRange((await db.Documents.IgnoreQueryFilters().Select(d => d.Id).ToListAsync()).Select(i => i.ToString()));
                ids.AddRange((await db.Products.IgnoreQueryFilters().Select(p => p.Id).ToListAsync()).Select(i => i.ToString()));
                ids.AddRange((await db.PaymentMethods.IgnoreQueryFilters().Select(m => m.Id).ToListAsync()).Select(i => i.ToString()));
                guids.AddRange((await db.Checkouts.IgnoreQueryFilters().Select(c => c.Id).ToListAsync()).Select(g => g.ToString()));
                guids.AddRange((await db.Companies.Select(c => c.Id).ToListAsync()).Select(g => g.ToString()));
            }
            List<string> customersOfA, documentsOfA, productsOfA, methodsOfA;
            await using (var scope = factory.ScopeFor(a.Merchant.CompanyId))
            {
                customersOfA = (await scope.Db.Customers.Select(c => c.Id).ToListAsync()).Select(i => i.ToString()).ToList();
                documentsOfA = (await scope.Db.Documents.Select(d => d.Id).ToListAsync()).Select(i => i.ToString()).ToList();
                productsOfA = (await scope.Db.Products.Select(p => p.Id).ToListAsync()).Select(i => i.ToString()).ToList();
                methodsOfA = (await scope.Db.PaymentMethods.Select(m => m.Id).ToListAsync()).Select(i => i.ToString()).ToList();
            }
            var world = new World
            {
                CustomersOfA = customersOfA, DocumentsOfA = documentsOfA, ProductsOfA = productsOfA, MethodsOfA = methodsOfA,
                Factory = factory, A = a, B = b, AdminOfA = a.Merchant,
                Ids = ids.Distinct().ToList(), Guids = guids, Tokens = [linkToken, linkToken + "x", "abc"],
                Identities = new()
                {
                    ["anonymous"] = new Identity("anonymous") { Client = factory.CreateAppClient() },
                    ["admin"] = new Identity("admin") { Client = a.Merchant.Client },
                    ["payer"] = new Identity("payer") { Client = payer },
                    ["api"] = new Identity("api") { Client = new AppClient(factory.CreateClient(new() { AllowAutoRedirect = false })) },
                },
            };
            world.Identities["api"].ApiKey = await world.CreateKeyAsync();
            foreach (var identity in world.Identities.Values.Where(i => i.Name != "api"))
            {
                await world.RefreshTokenAsync(identity);
            }
            return world;
        }

        public async Task<string> CreateKeyAsync()
        {
            var page = await AdminOfA.Client.FillAsync("/configuracion/api", new Dictionary<string, string?> { ["Input.Name"] = "Fuzz", ["Input.Scope"] = "Write" });
            return page.Document.QuerySelector("[data-testid=new-api-key]")!.GetAttribute("value")!;
        }

        public async Task RefreshTokenAsync(Identity identity)
        {
            var url = identity.Name == "payer" ? $"/portal/{B.Code}/documentos" : "/ingresar";
            var page = await identity.Client.GetAsync(url);
            identity.AntiforgeryToken = page.Document.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value");
        }

        /// <summary>A fuzzed request may end its own session (a revoked key, an expired payer); then it is opened again.</summary>
        public async Task<bool> ReestablishIfLostAsync(Identity identity, HttpRequestMessage request, HttpResponseMessage response)
        {
            var location = response.Headers.Location?.OriginalString ?? "";
            // Sent by now, so absolute (the client resolved it against its base address).
            var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString.Split('?')[0] ?? "";
            switch (identity.Name)
            {
                // Signing up, accepting an invitation or signing in succeeds now and then with fuzzed values, and
                // the browser is then someone else: the administrator signs in again.
                case "admin" when request.Method == HttpMethod.Post && (int)response.StatusCode < 400
                    && (path == "/crear-cuenta" || path == "/ingresar" || path.StartsWith("/invitacion/", StringComparison.Ordinal))
                    && response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("abono.auth=", StringComparison.Ordinal)):
                case "admin" when location.StartsWith("/ingresar?ReturnUrl=", StringComparison.Ordinal):
                    AdminOfA = await Merchant.SignInAsync(Factory, AdminOfA);
                    identity.Client = AdminOfA.Client;
                    await RefreshTokenAsync(identity);
                    return true;
                case "api" when response.StatusCode == HttpStatusCode.Unauthorized && request.Headers.Authorization?.Parameter == identity.ApiKey:
                    identity.ApiKey = await CreateKeyAsync();
                    return true;
                case "payer" when location == $"/portal/{B.Code}":
                    try
                    {
                        identity.Client = await B.IdentifiedPayerAsync();
                        await RefreshTokenAsync(identity);
                    }
                    catch (Exception ex) when (ex is Xunit.Sdk.XunitException or InvalidOperationException)
                    {
                        // Identification refused (the limiter counts the anonymous fuzz's wrong tries): no more payer requests.
                        identity.Dead = true;
                    }
                    return true;
                default:
                    return false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hostile values and the requests that carry them.

    internal sealed class Generator(Random random, World world)
    {
        private static readonly string[] Strings =
        [
            "", " ", "\t", "\u0000", "a\u0000b", "\u0001\u0002\u001f\u007f", "line\r\nbreak", "\r\n\r\n", "\u200B", "\uFEFF", "\u202Eevil.exe",
            "مرحبا بالعالم", "שלום", "ñandú ☃ 𝄞", "👩‍👩‍👧‍👦🔥", "Z̷͖̈a̸̡͝l̵g̶o̷", "'", "\"", "'; DROP TABLE \"Customers\"; --", "' OR '1'='1", "1; SELECT pg_sleep(0)--",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${7*7}", "${jndi:ldap://x/a}", "%s%s%n", "{0}{1}",
            "%00", "%", "..\\..\\windows", "../../etc/passwd", "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(1)", "null", "undefined", "true", "NaN",
            new string('x', 300), new string('ñ', 5_000), new string('a', 70_000), "Mixto", "Credito", "Efectivo", "aprobar", "rechazar",
        ];

        private static readonly string[] Numbers =
        [
            "0", "-0", "1", "-1", "2", "33", "39", "61", "99", "1.5", "1,5", "1.000.000", "1_000", "0x10", "1e9", "1e309", "-1e309", "Infinity", "NaN",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "99999999999999999999999999999", "10000000000", "100001", "١٢٣", "１２", " 12 ", "12abc", "", "abc",
        ];

        private static readonly string[] Dates =
        [
            "9999-12-31", "0001-01-01", "10000-01-01", "-0001-01-01", "2026-02-30", "2026-13-01", "2026-00-10", "31-12-2026", "12/31/2026", "2026-06-15",
            "1970-01-01T00:00:00Z", "2026-06-15T25:61:00", "2101-01-01", "1999-12-31", "hoy", "", "0", "99999999",
        ];

        private static readonly string[] Emails = ["a@b.cl", "pagos@cliente.cl", "a@b", "@b.cl", "a@@b.cl", "a@b.cl\r\nBcc: x@y.cl", "\"a b\"@c.cl", "a@[127.0.0.1]", new string('a', 250) + "@b.cl"];
        private static readonly string[] Ruts = ["12.345.678-5", "12345678-5", "11.111.111-1", "76.086.428-5", "1-9", "0-0", "99.999.999-9", "12.345.678-K", "K", "-"];
        private static readonly string[] Phones = ["+56961234567", "9 6123 4567", "+56", "+1 555 0100", "0", "+56 9 6543 2100 ext 2"];
        private static readonly string[] Urls = ["https://example.cl/hook", "http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "javascript:alert(1)", "https://", "//example.cl", "https://[::1]/"];
        private static readonly string[] Bools = ["true", "false", "on", "off", "1", "0", "sí", "TRUE", ""];
        private static readonly string[] Slugs = ["webpay", "mercadopago", "stripe", "transferencia", "prueba", "sandbox", "Sandbox", "portal-de-pagos", "marca", "editar", "x"];

        /// <summary>Idempotency keys drawn from a small pool, so retries with the same key (and other bodies) happen.</summary>
        private static readonly string[] IdempotencyKeys = ["fuzz-1", "fuzz-2", "fuzz-3", new string('k', 100), new string('k', 101), " ", "ñ"];

        public string? LastBody { get; private set; }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private bool Chance(double p) => random.NextDouble() < p;

        public static bool IsSimple(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeOnly) || type == typeof(Guid) || type == typeof(TimeSpan) || type == typeof(Uri);

        private string AnyHostile() => random.Next(3) switch { 0 => Pick(Strings), 1 => Pick(Numbers), _ => Pick(Dates) };

        private string Id() => Chance(0.75) && world.Ids.Count > 0 ? Pick(world.Ids) : Pick(Numbers);

        private int _serial;

        /// <summary>What a careful user would type in a field of that name and type, for the company the fuzz signs in to.</summary>
        public string Plausible(string name, Type? type, string? endpoint = null)
        {
            var n = ++_serial;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            var leaf = System.Text.RegularExpressions.Regex.Replace(name, @"\[[^\]]*\]", "").Split('.').Last().ToLowerInvariant();
            var today = Abono.Web.Platform.Chile.ChileFormats.Today(TimeProvider.System);
            var portal = endpoint?.Contains("/portal/", StringComparison.Ordinal) == true;
            return leaf switch
            {
                "rut" when portal => world.B.FormattedRut,
                "contact" when portal => PortalScenario.CustomerEmail,
                _ when leaf.EndsWith("rut", StringComparison.Ordinal) => $"{50_000_000 + n * 7}-{Abono.Web.Platform.Chile.Rut.ComputeCheckDigit(50_000_000 + n * 7)}",
                _ when leaf.Contains("email") || leaf == "contact" => $"fuzz{n}@cliente.cl",
                _ when leaf.Contains("phone") || leaf.Contains("telefono") => "+56961234567",
                _ when leaf.Contains("password") => "Clave2026x",
                _ when leaf.Contains("url") => "https://example.cl/hook",
                "customerid" or "cliente" => Pick(world.CustomersOfA),
                "documentids" or "documentid" or "referencedocumentid" => Pick(world.DocumentsOfA),
                "productid" or "quickproductid" => Pick(world.ProductsOfA),
                "paymentmethodid" or "enabledmethodids" or "methodid" => Pick(world.MethodsOfA),
                "type" => Pick(["33", "39", "34", "41", "61"]),
                "singlepaymentform" => Pick(["Credito", "Efectivo", "Tarjeta", "Mixto"]),
                "scope" => Pick(["Write", "Read"]),
                "role" => Pick(["Vendedor", "Administrador"]),
                "code" when portal => world.B.Code,
                "code" => $"P{n}",
                "issuedate" or "transferdate" or "hasta" => today.ToString("yyyy-MM-dd"),
                "duedate" => today.AddDays(30).ToString("yyyy-MM-dd"),
                "desde" => today.AddDays(-30).ToString("yyyy-MM-dd"),
                "creditdays" => "30",
                "quantity" or "quickquantity" => Pick(["1", "2", "3"]),
                "unitprice" or "price" => Pick(["1000", "10000", "990"]),
                "minimumpartialamount" => "5000",
                _ when leaf.Contains("amount") || leaf.Contains("monto") => Pick(["1000", "11900", "5000"]),
                _ when type == typeof(bool) => Pick(["true", "false"]),
                _ when type == typeof(Guid) => world.Guids.Count > 0 ? Pick(world.Guids) : Guid.NewGuid().ToString(),
                _ when type == typeof(DateOnly) || type == typeof(DateTime) => today.ToString("yyyy-MM-dd"),
                _ when type?.IsEnum == true => Pick(Enum.GetNames(type)),
                _ when leaf.EndsWith("id", StringComparison.Ordinal) || leaf.EndsWith("ids", StringComparison.Ordinal) => Id(),
                _ when type is not null && type != typeof(string) && IsSimple(type) => "1",
                _ => $"Fuzz {n}",
            };
        }

        /// <summary>A value for a field: often plausible for its type and name (to get past the first check), often not.</summary>
        public string Value(string name, Type? type)
        {
            if (Chance(0.3))
            {
                return AnyHostile();
            }
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            var lower = name.ToLowerInvariant();
            if (type == typeof(bool)) { return Pick(Bools); }
            if (type == typeof(Guid)) { return Chance(0.6) && world.Guids.Count > 0 ? Pick(world.Guids) : Pick([Guid.NewGuid().ToString(), "0", Guid.Empty.ToString(), "nope"]); }
            if (type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || lower.Contains("fecha") || lower.Contains("date") || lower is "desde" or "hasta") { return Pick(Dates); }
            if (type?.IsEnum == true) { return Chance(0.5) ? Pick(Enum.GetNames(type)) : Pick(Numbers); }
            if (lower.EndsWith("id", StringComparison.Ordinal) || lower.EndsWith("ids", StringComparison.Ordinal) || lower is "cliente" or "index" or "despues") { return Id(); }
            if (type is not null && type != typeof(string) && IsSimple(type)) { return Pick(Numbers); }
            if (lower.Contains("email") || lower.Contains("correo") || lower.Contains("contact")) { return Pick(Emails); }
            if (lower.Contains("rut")) { return Pick(Ruts); }
            if (lower.Contains("phone") || lower.Contains("telefono")) { return Pick(Phones); }
            if (lower.Contains("url")) { return Pick(Urls); }
            if (lower.Contains("amount") || lower.Contains("price") || lower.Contains("quantity") || lower.Contains("days") || lower.Contains("monto")) { return Pick(Numbers); }
            if (lower is "handler" or "kind" or "panel" or "code" or "decision" or "tipo" or "formato" or "vista") { return Pick(Slugs); }
            return Pick(Strings);
        }

        /// <summary>The target's own rows of company A, when its path names them: ids that exist get further than 404.</summary>
        private List<string>? OwnRows(string label) =>
            label.Contains("/clientes/", StringComparison.Ordinal) || label.Contains("/customers/", StringComparison.Ordinal) ? world.CustomersOfA
            : label.Contains("/documentos/", StringComparison.Ordinal) || label.Contains("/documents/", StringComparison.Ordinal) ? world.DocumentsOfA
            : label.Contains("/productos/", StringComparison.Ordinal) ? world.ProductsOfA
            : label.Contains("/medios-de-pago/", StringComparison.Ordinal) ? world.MethodsOfA
            : null;

        private string? _label;

        private string RouteValue(string name, string? constraint)
        {
            if (name == "id" && _label is { } label && OwnRows(label) is { Count: > 0 } own && !label.Contains("/portal/", StringComparison.Ordinal) && Chance(0.6))
            {
                return Pick(own);
            }
            var lower = name.ToLowerInvariant();
            if (Chance(0.1))
            {
                // Never a NUL in the path: Kestrel answers that 400 before the app, while the test server throws.
                return AnyHostile().Replace("\0", "", StringComparison.Ordinal);
            }
            return lower switch
            {
                "code" when Chance(0.85) => Pick([world.A.Code, world.B.Code, world.B.Code]),
                "token" => Pick(world.Tokens),
                "kind" or "panel" or "gateway" => Pick(Slugs),
                "documentname" => Pick(["v1", "v2", "..%2f"]),
                _ when constraint?.Contains("guid") == true => Chance(0.8) && world.Guids.Count > 0 ? Pick(world.Guids) : Guid.NewGuid().ToString(),
                _ when constraint?.Contains("int") == true || constraint?.Contains("long") == true || lower == "id" => Id(),
                _ => Pick(Strings).Replace("\0", "", StringComparison.Ordinal),
            };
        }

        private string Path(RoutePattern pattern)
        {
            var builder = new StringBuilder();
            foreach (var segment in pattern.PathSegments)
            {
                var text = new StringBuilder();
                foreach (var part in segment.Parts)
                {
                    switch (part)
                    {
                        case RoutePatternLiteralPart literal:
                            text.Append(literal.Content);
                            break;
                        case RoutePatternSeparatorPart separator:
                            text.Append(separator.Content);
                            break;
                        case RoutePatternParameterPart parameter when parameter.IsOptional && Chance(0.3):
                            break;
                        case RoutePatternParameterPart parameter:
                            var constraint = string.Join(",", parameter.ParameterPolicies.Select(p => p.Content));
                            text.Append(Uri.EscapeDataString(RouteValue(parameter.Name, constraint)));
                            break;
                    }
                }
                if (text.Length > 0)
                {
                    builder.Append('/').Append(text);
                }
            }
            return builder.Length == 0 ? "/" : builder.ToString();
        }

        public HttpRequestMessage Build(Target target, Identity identity)
        {
            LastBody = null;
            _label = target.Label;
            return target.Kind switch
            {
                TargetKind.Page => BuildPage(target, identity),
                TargetKind.Api => BuildApi(target, identity),
                _ => BuildMinimal(target),
            };
        }

        private static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
            string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

        /// <summary>
        /// How much of a request is hostile: all of it (chaos), one or two fields of an otherwise valid request (which
        /// reaches the deep code: saving, balances, folios), or none (a valid request, so success paths run too).
        /// </summary>
        private enum Strategy { Chaos, Mutant, Valid }

        private Strategy NextStrategy() => random.Next(100) switch { < 40 => Strategy.Chaos, < 85 => Strategy.Mutant, _ => Strategy.Valid };

        private List<KeyValuePair<string, string>> Fields(Target target)
        {
            var fields = new List<KeyValuePair<string, string>>();
            var strategy = NextStrategy();
            var candidates = target.Fields.Where(f => !f.IsFile).ToList();
            var mutated = strategy == Strategy.Mutant && candidates.Count > 0
                ? Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(candidates).Name).ToHashSet()
                : [];
            foreach (var field in candidates)
            {
                if (strategy != Strategy.Chaos)
                {
                    fields.Add(new(field.Name, mutated.Contains(field.Name) ? AnyHostile() : Plausible(field.Name, field.Type, target.Label)));
                }
                else if (Chance(0.75))
                {
                    fields.Add(new(field.Name, Value(field.Name, field.Type)));
                    if (Chance(0.05))
                    {
                        fields.Add(new(field.Name, Value(field.Name, field.Type)));   // the same name twice
                    }
                }
            }
            if (Chance(0.1))
            {
                fields.Add(new(Pick(["Input.CompanyId", "CompanyId", "Input", "Input.Lines[99999].Quantity", "Input.Lines[-1].Description", "Input.Amounts[999]", "[0]", "Input..Name", "Input.Lines[a].Description"]), AnyHostile()));
            }
            return fields;
        }

        private string Query(Target target, IEnumerable<KeyValuePair<string, string>> extra)
        {
            var fields = extra.ToList();
            if (target.Method == "GET")
            {
                fields.AddRange(Fields(target).Where(_ => Chance(0.5)));
                if (Chance(0.3))
                {
                    fields.Add(new(Pick(["q", "pagina", "tipo", "cliente", "desde", "hasta", "estado", "medio", "vista", "soloVencidos", "formato", "ReturnUrl", "returnUrl"]), AnyHostile()));
                }
            }
            if (target.Handler is { } handler)
            {
                fields.Add(new("handler", Chance(0.95) ? handler : Pick(Strings)));
            }
            else if (Chance(0.03))
            {
                fields.Add(new("handler", Pick(["Delete", "Revoke", "Pdf", "Export", "X"])));
            }
            return fields.Count == 0 ? "" : "?" + Encode(fields);
        }

        private HttpRequestMessage BuildPage(Target target, Identity identity)
        {
            var url = Path(target.Pattern) + Query(target, []);
            var request = new HttpRequestMessage(new HttpMethod(target.Method), url);
            if (target.Method != "POST")
            {
                return request;
            }
            var fields = Fields(target);
            var token = random.Next(100) switch
            {
                < 82 => identity.AntiforgeryToken,
                < 90 => null,
                < 95 => Pick(["CfDJ8garbage", "", new string('A', 500), "\u0000"]),
                _ => world.Identities.Values.Where(i => i != identity && i.AntiforgeryToken is not null).Select(i => i.AntiforgeryToken).FirstOrDefault(),
            };
            if (token is not null)
            {
                fields.Add(new("__RequestVerificationToken", token));
            }
            var mode = random.Next(100);
            if (mode < 66)
            {
                LastBody = Encode(fields);
                request.Content = new StringContent(LastBody, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }
            else if (mode < 80)
            {
                var multipart = new MultipartFormDataContent();
                foreach (var (key, value) in fields)
                {
                    multipart.Add(new StringContent(value), key);
                }
                foreach (var file in target.Fields.Where(f => f.IsFile))
                {
                    var bytes = HostileFile();
                    multipart.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(Pick(["text/csv", "image/png", "application/octet-stream", "text/plain"])) } },
                        file.Name, Pick(["datos.csv", "logo.png", "../../x.csv", "a\u0001.csv", new string('n', 300) + ".csv"]));
                }
                LastBody = $"multipart: {Encode(fields)}";
                request.Content = multipart;
            }
            else if (mode < 88)
            {
                request.Content = DamagedForm();
            }
            else
            {
                request.Content = WrongContentType(fields);
            }
            return request;
        }

        private byte[] HostileFile() => random.Next(6) switch
        {
            0 => Encoding.UTF8.GetBytes("rut;nombre;email;telefono;direccion;dias_credito\n12.345.678-5;Cliente\u0000;a@b.cl;+56961234567;x;30\n"),
            1 => Encoding.UTF8.GetBytes("tipo;folio;rut_cliente;emision;vencimiento;neto;exento;iva;total;saldo\n33;1;12.345.678-5;31-12-9999;01-01-0001;100;0;19;119;-5\n"),
            2 => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF],
            3 => Encoding.Unicode.GetBytes("rut;nombre\n1-9;x\n"),
            4 => [0xFF, 0xFE, 0xC3, 0x28, 0x00],
            _ => Encoding.UTF8.GetBytes("=cmd|' /C calc'!A0;" + new string(';', 5_000) + "\n"),
        };

        private HttpContent DamagedForm()
        {
            var (type, body) = random.Next(7) switch
            {
                0 => ("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"),
                1 => ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb"),
                2 => ("multipart/form-data; boundary=x", "garbage without any boundary"),
                3 => ("multipart/form-data; boundary=x", "--x\r\n" + new string('H', 17_000) + "\r\n\r\nb\r\n--x--\r\n"),
                4 => ("multipart/form-data; boundary=\"", "--\r\n"),
                5 => ("application/x-www-form-urlencoded", new string('k', 3_000) + "=v"),
                _ => ("application/x-www-form-urlencoded", string.Join("&", Enumerable.Range(0, 1_100).Select(i => $"k{i}=v"))),
            };
            LastBody = $"damaged form: {body}";
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return content;
        }

        private HttpContent WrongContentType(List<KeyValuePair<string, string>> fields)
        {
            var json = JsonSerializer.Serialize(fields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value));
            var (type, body) = random.Next(6) switch
            {
                0 => ("application/json", json),
                1 => ("text/plain", Encode(fields)),
                2 => ("application/xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"),
                3 => ("application/x-www-form-urlencoded; charset=utf-16", Encode(fields)),
                4 => ("", Encode(fields)),
                _ => ("application/x-www-form-urlencoded", "a=%zz&%=&&==&b=%FF%FE&c=%C3%28&" + Encode(fields)),
            };
            LastBody = $"{type}: {body}";
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (type.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            return content;
        }

        private HttpRequestMessage BuildApi(Target target, Identity identity)
        {
            var query = target.Parameters.Where(p => p.In == "query" && Chance(0.6))
                .Select(p => new KeyValuePair<string, string>(p.Name, ApiQueryValue(p.Name, p.Schema))).ToList();
            var path = Path(target.Pattern);
            var request = new HttpRequestMessage(new HttpMethod(target.Method), path + (query.Count > 0 ? "?" + Encode(query) : ""));
            var auth = random.Next(100);
            if (identity.ApiKey is { } key && auth < 88)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else if (auth < 94)
            {
                request.Headers.TryAddWithoutValidation("Authorization", Pick(["Bearer abk_inventada", "Bearer ", "Basic YTpi", "Bearer " + new string('a', 200), "bearer abk_" + new string('x', 40)]));
            }
            else if (identity.ApiKey is { } apiKey)
            {
                request.Headers.TryAddWithoutValidation("X-Api-Key", Chance(0.5) ? apiKey : "abk_x");
            }
            if (target.Method == "POST")
            {
                if (Chance(0.25))
                {
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick(IdempotencyKeys));
                }
                var mode = random.Next(100);
                if (mode < 70)
                {
                    _jsonStrategy = NextStrategy();
                    LastBody = (Generate(target.Body, null, 0) ?? JsonValue.Create("x"))?.ToJsonString() ?? "null";
                    request.Content = new StringContent(LastBody, Encoding.UTF8, "application/json");
                }
                else if (mode < 85)
                {
                    LastBody = Pick(DamagedJson());
                    request.Content = new StringContent(LastBody, Encoding.UTF8, "application/json");
                }
                else if (mode < 92)
                {
                    request.Content = DamagedForm();
                }
                else
                {
                    request.Content = WrongContentType([new("name", Pick(Strings)), new("rut", Pick(Ruts))]);
                }
            }
            return request;
        }

        private string ApiQueryValue(string name, JsonNode? schema)
        {
            var type = SchemaType(Resolve(schema));
            return type is "integer" or "number" ? (Chance(0.5) ? Id() : Pick(Numbers)) : Value(name, null);
        }

        private string[] DamagedJson() =>
        [
            "{", "{\"name\":", "[1,2", "nul", "", " ", "{\"name\":\"\\ud800\"}", new string('[', 3_000) + new string(']', 3_000), "\uFEFF{}",
            "{\"type\":33,\"type\":39}", "{\"type\":33,}", "{/*x*/\"type\":33}", "{\"lines\":[{\"quantity\":1e400}]}", "{\"customerId\":\"1\"}",
            "{\"type\":\"33\"}", "{\"issueDate\":\"9999-12-31\"}", "{\"amounts\":{\"efectivo\":-1}}", "{\"name\":\"a\\u0000b\"}", "{\"\\u0000\":1}",
            "\"just a string\"", "[]", "123", "{\"lines\":" + JsonSerializer.Serialize(Enumerable.Repeat(new { description = "x", quantity = 1, unitPrice = 1 }, 200)) + "}",
        ];

        private JsonNode? Resolve(JsonNode? schema)
        {
            for (var hops = 0; hops < 10 && schema?["$ref"]?.GetValue<string>() is { } reference; hops++)
            {
                schema = world.OpenApi?["components"]?["schemas"]?[reference.Split('/').Last()];
            }
            return schema;
        }

        private static string? SchemaType(JsonNode? schema) => schema?["type"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not "null"),
            _ => schema?["properties"] is not null ? "object" : (schema?["oneOf"] is JsonArray || schema?["anyOf"] is JsonArray) ? "any" : null,
        };

        private Strategy _jsonStrategy;

        /// <summary>A JSON value for a schema: of the right shape with hostile contents (all, a few leaves or none), sometimes of the wrong shape.</summary>
        private JsonNode? Generate(JsonNode? schema, string? name, int depth)
        {
            schema = Resolve(schema);
            if (schema?["oneOf"] is JsonArray oneOf && oneOf.Count > 0) { schema = Resolve(Pick(oneOf.ToList())); }
            if (schema?["anyOf"] is JsonArray anyOf && anyOf.Count > 0) { schema = Resolve(Pick(anyOf.ToList())); }
            var type = SchemaType(schema);
            var leaf = type is not ("object" or "array");
            if (leaf && (_jsonStrategy == Strategy.Valid || (_jsonStrategy == Strategy.Mutant && !Chance(0.15))))
            {
                return PlausibleJson(name, type, schema?["format"]?.GetValue<string>());
            }
            if (depth > 4 || (_jsonStrategy == Strategy.Chaos && Chance(0.08)))
            {
                return random.Next(7) switch
                {
                    0 => null,
                    1 => JsonValue.Create(Pick(Strings)),
                    2 => JsonValue.Create(-1),
                    3 => JsonValue.Create(1e30),
                    4 => JsonValue.Create(true),
                    5 => new JsonArray(),
                    _ => new JsonObject(),
                };
            }
            var format = schema?["format"]?.GetValue<string>();
            switch (type)
            {
                case "object":
                    var result = new JsonObject();
                    foreach (var (property, propertySchema) in (IEnumerable<KeyValuePair<string, JsonNode?>>?)schema?["properties"]?.AsObject() ?? [])
                    {
                        // Amounts per forma de pago and a single one together only confuse a valid request.
                        if (_jsonStrategy != Strategy.Chaos && property == "amounts")
                        {
                            continue;
                        }
                        if (_jsonStrategy != Strategy.Chaos || Chance(0.85))
                        {
                            result[property] = Generate(propertySchema, property, depth + 1);
                        }
                    }
                    if (schema?["additionalProperties"] is JsonObject values)
                    {
                        foreach (var key in new[] { "efectivo", "credito", "tarjeta", "transferencia", "Otro", "0", "💥" }.Where(_ => Chance(0.35)))
                        {
                            result[key] = Generate(values, key, depth + 1);
                        }
                    }
                    if (Chance(0.05))
                    {
                        result[Pick(["companyId", "id", "balance", "folio", "\u0000", ""])] = JsonValue.Create(Pick(Numbers));
                    }
                    return result;
                case "array":
                    var count = _jsonStrategy != Strategy.Chaos ? random.Next(1, 3) : random.Next(10) switch { < 3 => 0, < 8 => random.Next(1, 4), 8 => 61, _ => 120 };
                    var array = new JsonArray();
                    for (var i = 0; i < count; i++)
                    {
                        array.Add(Generate(schema?["items"], name, depth + 1));
                    }
                    return array;
                case "integer" or "number":
                    if (name?.EndsWith("id", StringComparison.OrdinalIgnoreCase) == true && Chance(0.6) && long.TryParse(Id(), out var id))
                    {
                        return JsonValue.Create(id);
                    }
                    return Pick<JsonNode?>([JsonValue.Create(0), JsonValue.Create(1), JsonValue.Create(-1), JsonValue.Create(33), JsonValue.Create(39), JsonValue.Create(61),
                        JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue), JsonValue.Create(int.MaxValue + 1L), JsonValue.Create(99999999999999999999m),
                        JsonValue.Create(1.5m), JsonValue.Create(10_000_000_001L), JsonValue.Create(100_001), JsonValue.Create("12"), null]);
                case "boolean":
                    return Pick<JsonNode?>([JsonValue.Create(true), JsonValue.Create(false), JsonValue.Create("true"), JsonValue.Create(1), null]);
                case "string" when format is "date" or "date-time" || name?.Contains("date", StringComparison.OrdinalIgnoreCase) == true:
                    return JsonValue.Create(Pick(Dates));
                case "string":
                    return JsonValue.Create(Value(name ?? "", typeof(string)));
                default:
                    return JsonValue.Create(AnyHostile());
            }
        }

        private JsonNode? PlausibleJson(string? name, string? type, string? format)
        {
            if (name is "isExempt") { return JsonValue.Create(false); }
            if (name is "productId" or "referenceDocumentId" or "referenceReason") { return null; }
            var text = Plausible(name ?? "", format is "date" ? typeof(DateOnly) : null);
            if (name is "paymentForm") { return JsonValue.Create(Pick(["credito", "efectivo", "tarjeta"])); }
            return type switch
            {
                "integer" or "number" => long.TryParse(text, out var number) ? JsonValue.Create(number) : JsonValue.Create(1),
                "boolean" => JsonValue.Create(Chance(0.5)),
                _ => JsonValue.Create(text),
            };
        }

        private HttpRequestMessage BuildMinimal(Target target)
        {
            var path = Path(target.Pattern);
            var query = Chance(0.4) ? "?" + Encode([new(Pick(["topic", "type", "id", "data.id", "format"]), AnyHostile())]) : "";
            var request = new HttpRequestMessage(new HttpMethod(target.Method), path + query);
            if (target.Method == "POST")
            {
                foreach (var header in new[] { "x-signature", "x-request-id", "Stripe-Signature", "Tbk-Api-Key-Secret" }.Where(_ => Chance(0.4)))
                {
                    request.Headers.TryAddWithoutValidation(header, Pick(["ts=1,v1=abc", "t=1,v1=00", "", new string('a', 500), "ts=99999999999999999999,v1="]));
                }
                var mode = random.Next(4);
                if (mode < 2)
                {
                    LastBody = mode == 0 ? Pick(DamagedJson())
                        : $$"""{"type":{{JsonSerializer.Serialize(Pick(Strings))}},"action":"payment.updated","data":{"id":{{JsonSerializer.Serialize(AnyHostile())}}},"id":{{JsonSerializer.Serialize(Pick(Numbers))}}}""";
                    request.Content = new StringContent(LastBody, Encoding.UTF8, "application/json");
                }
                else
                {
                    request.Content = mode == 2 ? DamagedForm() : WrongContentType([new("token_ws", Pick(Strings)), new("TBK_TOKEN", Pick(Strings))]);
                }
            }
            return request;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Row counts of every table and the money totals, in one query.

    internal sealed class Snapshots : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope;
        private readonly System.Data.Common.DbConnection _connection;
        private readonly string _sql;
        private readonly string[] _names;

        private Snapshots(AsyncServiceScope scope, System.Data.Common.DbConnection connection, string sql, string[] names)
        {
            _scope = scope;
            _connection = connection;
            _sql = sql;
            _names = names;
        }

        public static async Task<Snapshots> OpenAsync(AbonoFactory factory)
        {
            var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            var tables = db.Model.GetEntityTypes().Where(e => e.GetViewName() is null).Select(e => e.GetTableName()).OfType<string>()
                .Distinct().Where(t => !WrittenOnRefusalByDesign(t)).Order(StringComparer.Ordinal).ToList();
            string Column<T>(string property) => db.Model.FindEntityType(typeof(T))!.FindProperty(property)!.GetColumnName();
            string Table<T>() => db.Model.FindEntityType(typeof(T))!.GetTableName()!;
            var parts = tables.Select(t => $"(SELECT COUNT(*) FROM \"{t}\")").ToList();
            parts.Add($"(SELECT COALESCE(SUM(\"{Column<Abono.Web.Features.Documents.Document>("Balance")}\"), 0) FROM \"{Table<Abono.Web.Features.Documents.Document>()}\")");
            parts.Add($"(SELECT COALESCE(SUM(\"{Column<Abono.Web.Features.Collections.Payment>("Amount")}\"), 0) FROM \"{Table<Abono.Web.Features.Collections.Payment>()}\")");
            var names = tables.Select(t => $"rows of {t}").Append("sum of document balances").Append("sum of payments").ToArray();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            return new Snapshots(scope, connection, "SELECT " + string.Join(", ", parts), names);
        }

        public async Task<Snapshot> TakeAsync()
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = _sql;
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var values = new decimal[_names.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert.ToDecimal(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            return new Snapshot(_names, values);
        }

        public async ValueTask DisposeAsync()
        {
            await _connection.CloseAsync();
            await _scope.DisposeAsync();
        }
    }

    internal sealed record Snapshot(string[] Names, decimal[] Values)
    {
        public IEnumerable<string> ChangedFrom(Snapshot before) => Names.Where((_, i) => before.Values[i] != Values[i]);

        public string? DifferenceFrom(Snapshot before)
        {
            var changes = Names.Select((name, i) => (name, before: before.Values[i], after: Values[i])).Where(c => c.before != c.after)
                .Select(c => $"{c.name} {c.before} → {c.after}").ToList();
            return changes.Count == 0 ? null : string.Join(", ", changes);
        }
    }
}
