namespace Abono.Tests.Home;

/// <summary>Inicio's Primeros pasos: a new company sees the path to its first online payment, ticked by what is true.</summary>
public class SetupChecklistTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_new_company_sees_six_steps_to_do_each_linking_to_its_screen()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var home = await merchant.Client.GetAsync("/");

        var steps = home.Document.QuerySelectorAll("[data-testid=setup-step]");
        Assert.Equal(6, steps.Length);
        Assert.All(steps, s => Assert.DoesNotContain("done", s.ClassName ?? ""));
        Assert.Equal(
            ["/mi-cuenta/servicios/agregar", "/configuracion/medios-de-pago", "/configuracion/portal-de-pagos/editar", "/clientes/nuevo", "/documentos/nuevo", "/configuracion/portal-de-pagos"],
            steps.Select(s => s.QuerySelector("a")!.GetAttribute("href")));
        Assert.Contains("(0 de 6)", home.Text);
    }

    [Fact]
    public async Task Steps_tick_themselves_and_the_checklist_goes_once_a_link_is_shared()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        var home = await scenario.Merchant.Client.GetAsync("/");
        var steps = home.Document.QuerySelectorAll("[data-testid=setup-step]");
        Assert.Equal(5, steps.Count(s => (s.ClassName ?? "").Contains("done")));
        Assert.DoesNotContain("done", steps.Last().ClassName ?? "");

        // Opening a customer's portal link to share it is the last step.
        await scenario.Merchant.Client.GetAsync($"/clientes/{scenario.CustomerId}/portal");
        var after = await scenario.Merchant.Client.GetAsync("/");
        Assert.Null(after.Document.QuerySelector("[data-testid=setup-checklist]"));
    }
}
