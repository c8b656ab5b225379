using System.Net;
using Abono.Web.Features.Documents;

namespace Abono.Tests.Platform;

/// <summary>Company B must not see or touch anything of company A, whatever id it guesses or field it forges.</summary>
public class TenantIsolationTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Company_B_gets_404_for_every_id_of_company_A_on_every_route()
    {
        var a = await Merchant.SignUpAsync(factory, "Empresa A SpA");
        var customer = await a.CreateCustomerAsync(name: "Cliente Secreto de A");
        var document = Merchant.IdFrom(await a.IssueAsync(33, customer, [("Servicio", 1, 50_000)]));
        await a.Client.FillAsync("/productos/nuevo", new Dictionary<string, string?>
        {
            ["Input.Code"] = "SEC", ["Input.Name"] = "Producto Secreto", ["Input.UnitPrice"] = "1000",
        });
        long product;
        await using (var scope = factory.ScopeFor(a.CompanyId))
        {
            product = (await scope.Db.Products.SingleAsync()).Id;
        }

        var b = await Merchant.SignUpAsync(factory, "Empresa B SpA");
        string[] gets =
        [
            $"/clientes/{customer}", $"/clientes/{customer}/editar", $"/documentos/{document}", $"/productos/{product}/editar",
        ];
        foreach (var url in gets)
        {
            var response = await b.Client.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {url} answered {(int)response.StatusCode}");
            Assert.DoesNotContain("Secreto", await response.Content.ReadAsStringAsync());
        }

        var posts = new (string Url, KeyValuePair<string, string>[] Fields)[]
        {
            ($"/clientes/{customer}/editar", [new("Input.Rut", Merchant.NewRut()), new("Input.Name", "Robado")]),
            ($"/clientes/{customer}?handler=Delete", []),
            ($"/productos/{product}/editar", [new("Input.Code", "X"), new("Input.Name", "Robado"), new("Input.UnitPrice", "1")]),
        };
        foreach (var (url, fields) in posts)
        {
            var response = await b.Client.PostRawAsync(url, fields);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {url} answered {(int)response.StatusCode}");
        }

        // Lists, searches and pickers of B never show A's rows.
        foreach (var url in new[] { "/clientes?q=Secreto", "/documentos", "/productos", "/", $"/documentos/nuevo?cliente={customer}&referencia={document}&tipo=61", "/punto-de-venta" })
        {
            var page = await b.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.DoesNotContain("Cliente Secreto de A", page.Text);
            Assert.DoesNotContain("Producto Secreto", page.Text);
        }

        // Issuing for A's customer, referencing A's document or selling A's product is refused.
        var forged = await b.IssueAsync(33, customer, [("X", 1, 1_000)]);
        Assert.Equal("El cliente no existe.", forged.FieldError("Input.CustomerId"));
        var forgedNote = await b.IssueAsync(61, null, [("X", 1, 1_000)], paymentForm: "", extra: new Dictionary<string, string?>
        {
            ["Input.ReferenceDocumentId"] = document.ToString(),
        });
        Assert.Equal("Elige el documento al que se refiere la nota.", forgedNote.FieldError("Input.ReferenceDocumentId"));
        var forgedProduct = await b.IssueAsync(39, null, [("X", 1, 1_000)], paymentForm: "Efectivo", extra: new Dictionary<string, string?>
        {
            ["Input.Lines[0].ProductId"] = product.ToString(),
        });
        Assert.Equal("El producto no existe.", forgedProduct.FieldError("Input.Lines[0].ProductId"));

        await using var check = factory.ScopeFor(a.CompanyId);
        var untouched = await check.Db.Customers.SingleAsync();
        Assert.Equal("Cliente Secreto de A", untouched.Name);
        Assert.Equal(59_500, (await check.Db.Documents.SingleAsync()).Balance);
    }

    [Fact]
    public async Task A_tampered_company_id_in_a_form_is_ignored()
    {
        var a = await Merchant.SignUpAsync(factory);
        var b = await Merchant.SignUpAsync(factory);
        var form = await b.Client.GetAsync("/clientes/nuevo");
        var page = await b.Client.SubmitAsync(form, new Dictionary<string, string?>
        {
            ["Input.Rut"] = Merchant.NewRut(), ["Input.Name"] = "Inyectado", ["Input.CompanyId"] = a.CompanyId.ToString(),
            ["CompanyId"] = a.CompanyId.ToString(), ["Input.Email"] = "x@y.cl", ["Input.Phone"] = "+56961234567",
        });
        Assert.Matches(@"^/clientes/\d+$", page.Url);

        await using (var scopeA = factory.ScopeFor(a.CompanyId))
        {
            Assert.Equal(0, await scopeA.Db.Customers.CountAsync());
        }
        await using var scopeB = factory.ScopeFor(b.CompanyId);
        Assert.Equal("Inyectado", (await scopeB.Db.Customers.SingleAsync()).Name);
    }

    [Fact]
    public async Task The_database_context_refuses_to_write_another_companys_row()
    {
        var a = await Merchant.SignUpAsync(factory);
        var b = await Merchant.SignUpAsync(factory);
        await a.CreateCustomerAsync(name: "De A");

        await using var scope = factory.ScopeFor(b.CompanyId);
        Assert.Empty(await scope.Db.Customers.ToListAsync());
        var foreign = await scope.Db.Customers.IgnoreQueryFilters().SingleAsync(c => c.CompanyId == a.CompanyId);
        foreign.Name = "Cambiado por B";
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.Db.SaveChangesAsync());
        Assert.Equal(0, await scope.Db.Documents.Where(d => d.CompanyId == a.CompanyId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, 0L)));
        _ = DocumentType.Factura;
    }
}
