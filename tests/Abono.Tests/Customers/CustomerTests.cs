using System.Net;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Customers;

public class CustomerTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_customer_is_stored_with_normalized_rut_and_phone()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var id = await merchant.CreateCustomerAsync(rut: "12.345.678-5", name: "Comercial Andes Ltda.", email: "pagos@andes.cl", phone: "9 6123 4567");

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        var customer = await scope.Db.Customers.SingleAsync(c => c.Id == id);
        Assert.Equal("12345678-5", customer.Rut);
        Assert.Equal("+56961234567", customer.Phone);

        var detail = await merchant.Client.GetAsync($"/clientes/{id}");
        Assert.Contains("12.345.678-5", detail.Text);
        Assert.Contains("+56 9 6123 4567", detail.Text);
        Assert.Contains("$0", detail.Document.QuerySelector("[data-testid=customer-balance]")!.TextContent);
    }

    [Fact]
    public async Task Bad_customer_input_is_explained_at_each_field_and_nothing_is_saved()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var page = await merchant.Client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
        {
            ["Input.Rut"] = "12.345.678-9",
            ["Input.Name"] = "",
            ["Input.Email"] = "pagos@",
            ["Input.Phone"] = "12345",
            ["Input.CreditDays"] = "-5",
        });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("dígito verificador", page.FieldError("Input.Rut"));
        Assert.Equal("Ingresa el nombre o razón social.", page.FieldError("Input.Name"));
        Assert.Contains("correo válido", page.FieldError("Input.Email"));
        Assert.Contains("teléfono chileno válido", page.FieldError("Input.Phone"));
        Assert.Contains("entre 0 y 365", page.FieldError("Input.CreditDays"));
        Assert.Equal("true", page.Document.QuerySelector("#Input_Rut")!.GetAttribute("aria-invalid"));

        var notANumber = await merchant.Client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
        {
            ["Input.Rut"] = Merchant.NewRut(), ["Input.Name"] = "X", ["Input.CreditDays"] = "treinta",
        });
        Assert.Contains("no es válido", notANumber.FieldError("Input.CreditDays"));

        await using var scope = factory.ScopeFor(merchant.CompanyId);
        Assert.Equal(0, await scope.Db.Customers.CountAsync());
    }

    [Fact]
    public async Task The_same_rut_cannot_be_two_customers_of_one_company_but_can_be_in_another()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rut = Merchant.NewRut(70_000_000);
        await merchant.CreateCustomerAsync(rut: rut);

        var duplicate = await merchant.Client.FillAsync("/clientes/nuevo", new Dictionary<string, string?>
        {
            ["Input.Rut"] = Rut.Parse(rut).Formatted, ["Input.Name"] = "Otro nombre",
        });
        Assert.Equal("Ya existe un cliente con ese RUT.", duplicate.FieldError("Input.Rut"));

        var other = await Merchant.SignUpAsync(factory);
        await other.CreateCustomerAsync(rut: rut);
    }

    [Fact]
    public async Task Edit_changes_the_customer()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var id = await merchant.CreateCustomerAsync(name: "Nombre Antiguo");
        var page = await merchant.Client.FillAsync($"/clientes/{id}/editar", new Dictionary<string, string?>
        {
            ["Input.Name"] = "Nombre Nuevo SpA", ["Input.CreditDays"] = "45",
        });
        Assert.Equal($"/clientes/{id}", page.Url);
        Assert.Contains("Nombre Nuevo SpA", page.Text);
        Assert.Contains("Cambios guardados", page.Text);
    }

    [Fact]
    public async Task Search_finds_by_rut_name_or_email_and_pages_the_list()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rut = Merchant.NewRut(70_000_000);
        await merchant.CreateCustomerAsync(rut: rut, name: "Panadería La Espiga", email: "caja@espiga.cl");
        for (var i = 0; i < 21; i++)
        {
            await merchant.CreateCustomerAsync(name: $"Cliente {i:D2}", email: $"c{i}@x.cl");
        }

        Assert.Contains("Panadería La Espiga", (await merchant.Client.GetAsync("/clientes?q=espiga")).Text);
        Assert.Contains("Panadería La Espiga", (await merchant.Client.GetAsync("/clientes?q=caja%40espiga")).Text);
        var byRut = await merchant.Client.GetAsync($"/clientes?q={Uri.EscapeDataString(Rut.Parse(rut).Formatted)}");
        Assert.Single(byRut.Document.QuerySelectorAll("tbody tr"));
        Assert.Contains("No encontramos clientes", (await merchant.Client.GetAsync("/clientes?q=zzzz")).Text);

        var first = await merchant.Client.GetAsync("/clientes");
        Assert.Equal(20, first.Document.QuerySelectorAll("tbody tr").Length);
        Assert.Contains("22 resultados", first.Text);
        var second = await merchant.Client.GetAsync("/clientes?pagina=2");
        Assert.Equal(2, second.Document.QuerySelectorAll("tbody tr").Length);
    }

    [Fact]
    public async Task A_customer_without_documents_can_be_deleted_one_with_documents_cannot()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var lonely = await merchant.CreateCustomerAsync(name: "Sin Documentos");
        var deleted = await merchant.Client.FillAsync($"/clientes/{lonely}", new Dictionary<string, string?>());
        Assert.Equal("/clientes", deleted.Url);
        Assert.Contains("Cliente Sin Documentos eliminado", deleted.Text);
        Assert.Equal(HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync($"/clientes/{lonely}")).StatusCode);

        var busy = await merchant.CreateCustomerAsync(name: "Con Documentos");
        await merchant.IssueAsync(33, busy, [("Servicio", 1, 10_000)]);
        var refused = await merchant.Client.FillAsync($"/clientes/{busy}", new Dictionary<string, string?>());
        Assert.Contains("No se puede eliminar a Con Documentos: tiene 1 documento emitido", refused.Text);
        Assert.Equal(HttpStatusCode.OK, (await merchant.Client.Http.GetAsync($"/clientes/{busy}")).StatusCode);
    }
}
