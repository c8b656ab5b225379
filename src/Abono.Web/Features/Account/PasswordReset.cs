using System.Text;
using Abono.Web.Data;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Abono.Web.Features.Account;

/// <summary>
/// ¿Olvidaste tu contraseña? with Identity's reset tokens: short-lived (<see cref="Lifetime"/>), single use (resetting
/// changes the user's security stamp, which every earlier token depends on), sent by email. Whether the email has an
/// account is never told: the page answers the same, and only the mailbox's owner learns anything.
/// </summary>
public sealed class PasswordReset(AbonoDbContext db, UserManager<AppUser> users, AppUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const string LinkPath = "/ingresar/restablecer/";

    public async Task RequestAsync(string email, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        // One URL segment: the user and the token, so a mail client cannot cut the link at a "?" or an "&".
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{user.Id:N}:{token}"));
        var subject = "Restablece tu contraseña de Abono";
        var body = new EmailLayout(EmailBrand.Abono, subject)
            .Paragraph($"Hola {user.FullName}:\n\nPediste restablecer tu contraseña de Abono. Elige una nueva con este enlace; vence en {Lifetime.TotalMinutes:0} minutos y sirve una sola vez.")
            .Button("Elegir una nueva contraseña", urls.Absolute(LinkPath + code), "Elígela aquí")
            .FinePrint("Si no lo pediste, ignora este correo: tu contraseña sigue igual.");
        db.Outbox.Add(OutboxMessage.Email(null, new EmailMessage(user.Email!, subject, body.Text, HtmlBody: body.Html), clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The user a link names, with its token; null for a link that is not one of ours.</summary>
    public async Task<(AppUser User, string Token)?> ReadAsync(string? code)
    {
        // A blank code (binding turns "%20" into null) is no link of ours.
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
            var colon = text.IndexOf(':');
            if (colon <= 0 || !Guid.TryParseExact(text[..colon], "N", out var id))
            {
                return null;
            }
            return await users.FindByIdAsync(id.ToString()) is { } user ? (user, text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
