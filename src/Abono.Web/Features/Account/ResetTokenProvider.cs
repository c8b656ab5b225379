using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Abono.Web.Features.Account;

/// <summary>
/// Password-reset tokens: Identity's DataProtectorTokenProvider reads the wall clock, so a token's age could not be
/// tested (nor follow the app's TimeProvider). This one is the same design on our clock: the creation time, the user,
/// the purpose and the security stamp, sealed with Data Protection; a reset changes the stamp, so a token works once.
/// </summary>
public sealed class ResetTokenProvider(IDataProtectionProvider protection, TimeProvider clock) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "AbonoReset";

    private readonly IDataProtector _protector = protection.CreateProtector("Abono.PasswordReset.v1");

    public async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        var stamp = await manager.GetSecurityStampAsync(user);
        var text = string.Join('|', clock.GetUtcNow().UtcTicks, user.Id.ToString("N"), purpose, stamp);
        return WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(text)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))).Split('|');
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        if (parts.Length != 4 || !long.TryParse(parts[0], out var ticks))
        {
            return false;
        }
        var age = clock.GetUtcNow().UtcDateTime - new DateTime(ticks, DateTimeKind.Utc);
        return age >= TimeSpan.Zero && age <= PasswordReset.Lifetime
            && parts[1] == user.Id.ToString("N") && parts[2] == purpose
            && parts[3] == await manager.GetSecurityStampAsync(user);
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(false);
}
