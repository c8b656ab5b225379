using System.Net;
using Abono.Web.Features.Account;
using Abono.Web.Features.Billing;
using Microsoft.AspNetCore.Identity;

namespace Abono.Tests.Operator;

public class OperatorTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task The_operator_sets_the_add_on_price_and_sees_who_contracted_it()
    {
        var customer = await Merchant.SignUpAsync(factory, "Empresa Contratante SpA");
        var confirm = await customer.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await customer.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        await customer.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        var operatorAccount = await Merchant.SignUpAsync(factory, "Abono SpA");
        Assert.Equal(HttpStatusCode.Redirect, (await operatorAccount.Client.Http.GetAsync("/operador")).StatusCode);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(operatorAccount.Email))!, Roles.Operador);
        }
        var signedIn = await operatorAccount.Client.FillAsync("/ingresar", new Dictionary<string, string?>
        {
            ["Input.Email"] = operatorAccount.Email, ["Input.Password"] = operatorAccount.Password,
        });
        Assert.Contains("Operación de Abono", signedIn.Text);

        var page = await operatorAccount.Client.GetAsync("/operador");
        Assert.Contains("Empresa Contratante SpA", page.Text);
        Assert.Contains("Activo", page.Text);

        var invalid = await operatorAccount.Client.SubmitAsync(page, new Dictionary<string, string?> { ["price"] = "-5" });
        Assert.Contains("mayor que cero", invalid.Text);
        var saved = await operatorAccount.Client.SubmitAsync(page, new Dictionary<string, string?> { ["price"] = "12990" });
        Assert.Contains("Precio de Portal de pagos actualizado.", saved.Text);
        try
        {
            var newcomer = await Merchant.SignUpAsync(factory);
            var offer = await newcomer.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
            Assert.Contains("$12.990", offer.Text);
            await using var check = factory.ScopeFor(customer.CompanyId);
            Assert.Equal(9_990, (await check.Db.Subscriptions.SingleAsync()).MonthlyPrice);
        }
        finally
        {
            await operatorAccount.Client.SubmitAsync(await operatorAccount.Client.GetAsync("/operador"), new Dictionary<string, string?> { ["price"] = "9990" });
        }
        _ = AddOn.PortalDePagos;
    }
}
