using System.Diagnostics;
using System.Net;
using Abono.Web.Features.Account;
using Abono.Web.Features.Portal;
using Xunit.Abstractions;

namespace Abono.Tests.Account;

/// <summary>
/// Measures (never asserts on) how long a wrong sign-in and a wrong portal identification take for accounts that
/// exist and for ones that do not, so the note can quote them; only the answers are asserted. Each try comes from
/// its own address, so every one is really checked (none is a throttle answer).
/// </summary>
public class SignInTimingTests(AbonoFactory factory, ITestOutputHelper output) : IClassFixture<AbonoFactory>
{
    private const int Tries = 200;

    private static string Figures(string label, List<double> ms)
    {
        ms.Sort();
        double At(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        return $"{label}: n={ms.Count} mean={ms.Average():F1} ms p50={At(0.50):F1} ms p95={At(0.95):F1} ms";
    }

    private static async Task<(HttpStatusCode Status, string Message, double Ms)> TimeAsync(AppClient client, string url, Dictionary<string, string?> values, string errorSelector)
    {
        var form = await client.GetAsync(url);
        var clock = Stopwatch.StartNew();
        var response = await client.PostFormAsync(form, values);
        var html = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var page = await AppClient.Page.ReadAsync(new HttpResponseMessage(response.StatusCode) { Content = new StringContent(html) }, url);
        return (response.StatusCode, page.Document.QuerySelector(errorSelector)?.TextContent.Trim() ?? "", elapsed);
    }

    [Fact]
    public async Task Wrong_sign_ins_for_known_and_unknown_emails_are_measured_and_answered_alike()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var known = new List<double>();
        var unknown = new List<double>();
        // Warm-up: the first requests compile and cache things that have nothing to do with the email.
        for (var i = 0; i < Tries + 10; i++)
        {
            // Interleaved, so drift on the machine touches both series alike.
            foreach (var (email, series) in new[] { (merchant.Email, known), ($"nadie{i}@empresa.cl", unknown) })
            {
                using var client = factory.CreateAppClient(from: $"10.{(series == known ? 1 : 2)}.{i / 250}.{i % 250 + 1}");
                var (status, message, ms) = await TimeAsync(client, "/ingresar",
                    new() { ["Input.Email"] = email, ["Input.Password"] = $"Incorrecta{i}" }, ".validation-summary-errors");
                Assert.Equal((HttpStatusCode.OK, SignInModel.WrongCredentials), (status, message));
                if (i >= 10)
                {
                    series.Add(ms);
                }
            }
        }
        TestFigures.Report(output, Figures("Sign-in, known email, wrong password", known));
        TestFigures.Report(output, Figures("Sign-in, unknown email", unknown));
    }

    [Fact]
    public async Task Wrong_portal_identifications_for_known_and_unknown_ruts_are_measured_and_answered_alike()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < Tries + 10; i++)
        {
            foreach (var (rut, series) in new[] { (s.FormattedRut, known), (Merchant.NewRut(98_000_000), unknown) })
            {
                using var client = factory.CreateAppClient(from: $"10.{(series == known ? 3 : 4)}.{i / 250}.{i % 250 + 1}");
                var (status, message, ms) = await TimeAsync(client, $"/portal/{s.Code}",
                    new() { ["Input.Rut"] = rut, ["Input.Contact"] = $"intruso{i}@x.cl" }, "[data-testid=identify-error]");
                Assert.Equal((HttpStatusCode.OK, IndexModel.NoMatch), (status, message));
                if (i >= 10)
                {
                    series.Add(ms);
                }
            }
        }
        TestFigures.Report(output, Figures("Portal, known RUT, wrong contact", known));
        TestFigures.Report(output, Figures("Portal, unknown RUT", unknown));
    }
}
