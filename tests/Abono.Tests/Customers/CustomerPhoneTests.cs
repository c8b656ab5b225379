using System.Text;

namespace Abono.Tests.Customers;

/// <summary>The customer form and the CSV import take a phone however Chileans write it, store E.164 and show +56 9 1234 5678.</summary>
public class CustomerPhoneTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Theory]
    [InlineData("+56 9 1234 5678")]
    [InlineData("9 1234 5678")]
    [InlineData("(9) 1234-5678")]
    [InlineData("09 1234 5678")]
    [InlineData("56912345678")]
    public async Task The_customer_form_accepts_its_own_example_and_every_common_way_of_writing_it(string typed)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var id = await merchant.CreateCustomerAsync(phone: typed);

        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal("+56912345678", (await scope.Db.Customers.SingleAsync(c => c.Id == id)).Phone);
        }
        var edit = await merchant.Client.GetAsync($"/clientes/{id}/editar");
        Assert.Equal("+56 9 1234 5678", edit.Document.QuerySelector("input[name='Input.Phone']")?.GetAttribute("value"));
    }

    [Fact]
    public async Task A_landline_is_stored_and_shown_with_its_area_code()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var id = await merchant.CreateCustomerAsync(phone: "(32) 234 5678");

        var edit = await merchant.Client.GetAsync($"/clientes/{id}/editar");
        Assert.Equal("+56 32 234 5678", edit.Document.QuerySelector("input[name='Input.Phone']")?.GetAttribute("value"));
    }

    [Fact]
    public async Task A_phone_that_is_not_chilean_gets_a_message_next_to_the_field()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var page = await merchant.Client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
        {
            ["Input.Rut"] = Merchant.NewRut(70_000_000),
            ["Input.Name"] = "Cliente Extranjero",
            ["Input.Email"] = "pagos@extranjero.cl",
            ["Input.Phone"] = "+54 9 11 2345 6789",
            ["Input.CreditDays"] = "30",
        });
        Assert.Equal("/clientes/nuevo", page.Url);
        var message = page.Document.QuerySelector("[data-valmsg-for='Input.Phone']")?.TextContent.Trim();
        Assert.False(string.IsNullOrEmpty(message));
    }

    [Fact]
    public async Task The_csv_import_takes_the_forms_example_phone()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rut = Merchant.NewRut(82_000_000);
        var csv = "rut;nombre;email;telefono;direccion;dias_credito\n" + $"{rut};Ferretería Tres;tres@f.cl;+56 9 1234 5678;Calle 3;30\n";
        var response = await merchant.Client.Http.PostAsync("/importar", await ImportFormAsync(merchant, csv));
        Assert.Contains("1 importadas", await response.Content.ReadAsStringAsync());

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal("+56912345678", (await scope.Db.Customers.SingleAsync()).Phone);
    }

    private static async Task<MultipartFormDataContent> ImportFormAsync(Merchant merchant, string csv)
    {
        var page = await merchant.Client.GetAsync("/importar");
        var token = page.Document.QuerySelector("main input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        return new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Customers"), "Tipo" },
            { new StringContent("SkipInvalid"), "Modo" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Archivo", "clientes.csv" },
        };
    }
}
