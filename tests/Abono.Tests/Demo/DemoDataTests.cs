using Abono.Web.Features.Demo;
using Abono.Web.Features.Documents;
using Abono.Web.Gateways;

namespace Abono.Tests.Demo;

/// <summary>What a newcomer finds in the demo company: imported DTEs (a nota applied, a factura ceded) and the Pasarela de prueba left to switch on.</summary>
public class DemoDataTests(DemoDataTests.DemoFactory factory) : IClassFixture<DemoDataTests.DemoFactory>
{
    public sealed class DemoFactory : AbonoFactory
    {
        protected override bool SeedDemo => true;
    }

    [Fact]
    public async Task The_demo_company_has_imported_DTEs_with_a_nota_applied_and_a_ceded_factura()
    {
        factory.CreateClient();
        Guid companyId;
        await using (var global = factory.Services.CreateAsyncScope())
        {
            var db = global.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            companyId = await db.Companies.Where(c => c.LegalName == DemoSeeder.CompanyName).Select(c => c.Id).SingleAsync();
        }
        await using var scope = factory.ScopeFor(companyId);
        var imported = await scope.Db.Documents.Where(d => d.Origin == DocumentOrigin.DteXml).OrderBy(d => d.Folio).ToListAsync();
        Assert.Equal(4, imported.Count);
        Assert.Equal(4, await scope.Db.DocumentXmls.CountAsync());

        var noted = imported.Single(d => d.Folio == DemoDtes.FirstFolio + 1);
        var note = imported.Single(d => d.Type == DocumentType.NotaCredito);
        Assert.Equal(noted.Total - note.Total, noted.Balance);

        var ceded = imported.Single(d => d.Folio == DemoDtes.FirstFolio + 2);
        Assert.Equal("Factoring Demo SpA", ceded.CededToName);

        var sandbox = await scope.Db.PaymentMethods.SingleAsync();
        Assert.Equal(GatewayKind.Sandbox, sandbox.Kind);
        Assert.True(sandbox.IsActive);
        Assert.False(sandbox.EnabledInPortal);
    }
}
