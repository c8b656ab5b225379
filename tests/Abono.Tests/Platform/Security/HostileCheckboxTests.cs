using System.Net;
using Abono.Web.Platform.Web;

namespace Abono.Tests.Platform.Security;

/// <summary>
/// A checkbox posted with text no browser sends ("sí", "0", a long string) once answered 500: the default binder kept
/// the text and the redisplayed checkbox could not read it back (found by the fuzz pass on the cesión forms).
/// </summary>
public class HostileCheckboxTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Theory]
    [InlineData("sí")]
    [InlineData("0")]
    [InlineData("verdadero")]
    [InlineData("true\u0000")]
    public async Task A_checkbox_with_text_no_browser_sends_gets_a_spanish_error_not_a_500(string value)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var customer = await merchant.CreateCustomerAsync();
        var document = Merchant.IdFrom(await merchant.IssueAsync(33, customer, [("Servicio", 1, 10_000)]));
        var answer = await merchant.Client.PostRawAsync($"/documentos/{document}?handler=RevertCession",
            [new("Revert.Note", "Volvió"), new("Revert.Confirm", value)]);

        Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Redirect, $"{(int)answer.StatusCode}");
        if (answer.StatusCode != HttpStatusCode.Redirect)
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Exception", text);
        }
    }

    [Fact]
    public async Task A_checkbox_and_its_hidden_field_bind_as_browsers_send_them_and_anything_else_is_a_field_error()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var refused = await merchant.Client.PostRawAsync("/clientes/nuevo",
            [new("Input.Rut", Merchant.NewRut()), new("Input.Name", "Cliente Casilla"), new("Input.RemindersEnabled", "sí")]);
        Assert.NotEqual(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains(CheckboxBooleanBinderProvider.Invalid, await refused.Content.ReadAsStringAsync());

        // Unchecked: only the hidden "false"; checked: "true" then the hidden "false".
        foreach (var (name, values, expected) in new[] { ("Cliente Sin Recordatorios", new[] { "false" }, false), ("Cliente Con Recordatorios", new[] { "true", "false" }, true) })
        {
            var fields = new List<KeyValuePair<string, string>> { new("Input.Rut", Merchant.NewRut()), new("Input.Name", name) };
            fields.AddRange(values.Select(v => new KeyValuePair<string, string>("Input.RemindersEnabled", v)));
            var saved = await merchant.Client.PostRawAsync("/clientes/nuevo", fields);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            await using var scope = factory.ScopeFor(merchant.CompanyId);
            Assert.Equal(expected, (await scope.Db.Customers.SingleAsync(c => c.Name == name)).RemindersEnabled);
        }
    }
}
