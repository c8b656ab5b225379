using Abono.Web.Platform.Web;

namespace Abono.Web.Features.Operator;

/// <summary>The operator's screen (Abono's own staff) and the Operador role granted to Platform:Operators at start.</summary>
public static class OperatorModule
{
    public static IHostApplicationBuilder AddOperator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddStartupTask("grant configured operators", order: 20, app => app.GrantConfiguredOperatorsAsync());
        return builder;
    }
}
