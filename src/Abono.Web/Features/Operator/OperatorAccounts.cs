using Abono.Web.Features.Account;
using Microsoft.AspNetCore.Identity;

namespace Abono.Web.Features.Operator;

/// <summary>Platform:Operators lists the emails of users who operate Abono itself; they get the Operador role at start.</summary>
public static class OperatorAccounts
{
    public static async Task GrantConfiguredOperatorsAsync(this WebApplication app)
    {
        var emails = app.Configuration.GetSection("Platform:Operators").Get<string[]>() ?? [];
        if (emails.Length == 0)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var email in emails)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is not null && !await users.IsInRoleAsync(user, Roles.Operador))
            {
                await users.AddToRoleAsync(user, Roles.Operador);
            }
        }
    }
}
