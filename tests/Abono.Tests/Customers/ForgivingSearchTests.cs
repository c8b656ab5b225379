namespace Abono.Tests.Customers;

/// <summary>Search that forgives: accents, case, spacing, RUT with or without dots and dash, folios — the same on both databases.</summary>
public class ForgivingSearchTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Theory]
    [InlineData("almacen")]
    [InlineData("ALMACÉN")]
    [InlineData("dona rosa")]
    [InlineData("  Doña   Rosa ")]
    public async Task Clientes_finds_a_name_whatever_its_accents_case_and_spacing(string typed)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await merchant.CreateCustomerAsync(name: "Almacén Doña Rosa");
        await merchant.CreateCustomerAsync(name: "Ferretería El Perno");

        var page = await merchant.Client.GetAsync($"/clientes?q={Uri.EscapeDataString(typed)}");

        Assert.Contains("Almacén Doña Rosa", page.Text);
        Assert.DoesNotContain("Ferretería El Perno", page.Text);
    }

    [Fact]
    public async Task Clientes_finds_a_RUT_with_or_without_dots_and_dash()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rut = Merchant.NewRut(71_000_000);
        await merchant.CreateCustomerAsync(rut: rut, name: "Cliente Con RUT");
        var parsed = Abono.Web.Platform.Chile.Rut.Parse(rut);

        foreach (var typed in new[] { parsed.Formatted, parsed.Normalized, parsed.Normalized.Replace("-", "") })
        {
            var page = await merchant.Client.GetAsync($"/clientes?q={Uri.EscapeDataString(typed)}");
            Assert.Contains("Cliente Con RUT", page.Text);
        }
    }

    [Fact]
    public async Task Documentos_finds_by_folio_and_by_an_unaccented_customer_name_and_the_reports_too()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var rosa = await merchant.CreateCustomerAsync(name: "Almacén Doña Rosa");
        var perno = await merchant.CreateCustomerAsync(name: "Ferretería El Perno");
        var first = Merchant.IdFrom(await merchant.IssueAsync(33, rosa, [("Harina", 1, 10_000)]));
        await merchant.IssueAsync(33, perno, [("Clavos", 1, 20_000)]);
        long folio;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            folio = (await scope.Db.Documents.SingleAsync(d => d.Id == first)).Folio;
        }

        var byName = await merchant.Client.GetAsync("/documentos?cliente=dona%20rosa");
        Assert.Contains("Almacén Doña Rosa", byName.Text);
        Assert.DoesNotContain("Ferretería El Perno", byName.Text);

        var byFolio = await merchant.Client.GetAsync($"/documentos?cliente={folio}");
        Assert.Contains("Almacén Doña Rosa", byFolio.Text);
        Assert.DoesNotContain("Ferretería El Perno", byFolio.Text);

        var owed = await merchant.Client.GetAsync("/reportes/pagos/documentos-adeudados?cliente=ferreteria&buscar=1");
        Assert.Contains("Ferretería El Perno", owed.Text);
        Assert.DoesNotContain("Almacén Doña Rosa", owed.Text);
    }
}
