namespace Abono.Web.Features.Sandbox;

/// <summary>
/// Whether the fake-money gateway exists here. Outside Production it does (the demo and the tests pay with it). In
/// Production it does not — no routes, not offered in Medios de pago, existing methods switched off — unless a demo
/// deployment sets <c>Sandbox:Enabled=true</c>; even then its payments are test payments that never reduce a
/// document's balance, because a company there may have real customers and real debts.
/// </summary>
public sealed record SandboxMode(bool Enabled, bool MovesBalances)
{
    public static SandboxMode From(IConfiguration configuration, IHostEnvironment environment)
    {
        var production = environment.IsProduction();
        return new SandboxMode(configuration.GetValue("Sandbox:Enabled", !production), MovesBalances: !production);
    }
}
