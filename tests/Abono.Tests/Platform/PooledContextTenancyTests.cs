using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Abono.Tests.Platform;

/// <summary>
/// Database contexts are pooled: an instance that answered for one company goes back to the pool and serves the next
/// scope. It must then answer only for that scope's company (or none), never for the one it served before.
/// </summary>
public class PooledContextTenancyTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_context_returned_by_one_company_answers_only_for_the_next_scopes_company()
    {
        var a = await Merchant.SignUpAsync(factory, "Empresa Piscina A SpA");
        await a.CreateCustomerAsync(name: "Cliente de la Piscina A");
        var b = await Merchant.SignUpAsync(factory, "Empresa Piscina B SpA");
        await b.CreateCustomerAsync(name: "Cliente de la Piscina B");

        // Many leases in turn, so the pool hands back instances that served the other company or none.
        for (var round = 0; round < 20; round++)
        {
            await using (var scope = factory.ScopeFor(a.CompanyId))
            {
                Assert.Equal(["Cliente de la Piscina A"], await scope.Db.Customers.Select(c => c.Name).ToListAsync());
            }
            await using (var scope = factory.ScopeFor(b.CompanyId))
            {
                Assert.Equal(["Cliente de la Piscina B"], await scope.Db.Customers.Select(c => c.Name).ToListAsync());
            }
            await using (var none = factory.Services.CreateAsyncScope())
            {
                var db = none.ServiceProvider.GetRequiredService<AbonoDbContext>();
                Assert.False(db.Tenant.HasCompany);
                Assert.Empty(await db.Customers.ToListAsync());
            }
        }
    }

    [Fact]
    public async Task A_context_leased_before_its_scope_knows_the_company_follows_the_tenant_set_later()
    {
        // The request pipeline resolves the context before the tenant middleware (or a portal page) sets the company.
        var a = await Merchant.SignUpAsync(factory, "Empresa Tardía SpA");
        await a.CreateCustomerAsync(name: "Cliente Tardío");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        Assert.Empty(await db.Customers.ToListAsync());
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(a.CompanyId);
        Assert.Equal(["Cliente Tardío"], await db.Customers.Select(c => c.Name).ToListAsync());
    }

    [Fact]
    public async Task A_context_back_in_the_pool_forgets_its_company_and_its_tracked_rows()
    {
        var a = await Merchant.SignUpAsync(factory, "Empresa Olvido SpA");
        await a.CreateCustomerAsync(name: "Cliente Olvidado");
        AbonoDbContext leased;
        await using (var scope = factory.ScopeFor(a.CompanyId))
        {
            leased = scope.Db;
            Assert.Single(await leased.Customers.ToListAsync());
            Assert.NotEmpty(leased.ChangeTracker.Entries());
        }
        Assert.False(leased.Tenant.HasCompany);

        await using var next = factory.Services.CreateAsyncScope();
        var db = next.ServiceProvider.GetRequiredService<AbonoDbContext>();
        Assert.Empty(db.ChangeTracker.Entries());
        Assert.Empty(await db.Customers.ToListAsync());
        // A row written without a company is refused, as before pooling.
        db.Customers.Add(new Abono.Web.Features.Customers.Customer { Name = "Sin empresa", Rut = Merchant.NewRut() });
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}
