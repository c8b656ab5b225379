using System.Security.Cryptography;
using System.Text;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// Verificar con código: a 6-digit code (about 20 bits) sent to the customer's email on file, valid 10 minutes,
/// used once, at most 5 tries; tries are counted with a guarded update so parallel guesses cannot exceed them.
/// </summary>
public sealed class VerificationCodes(AbonoDbContext db, TimeProvider clock, Platform.Web.AppUrls urls)
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<Guid> SendAsync(long customerId, string email, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var verification = new PortalVerificationCode { CustomerId = customerId, CodeHash = "", CreatedAt = now, ExpiresAt = now + Lifetime };
        verification.CodeHash = Hash(verification.Id, code);
        db.PortalVerificationCodes.Add(verification);
        var mail = await BrandedEmail.LoadAsync(db, db.CurrentCompanyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        // The button opens the page that asks for the code (the code itself is only in the email, never in a link),
        // so someone who asked on one device can finish on the one where they read the email.
        var body = mail.Layout("Tu código de verificación")
            .Code("Tu código de verificación es", code)
            .Paragraph("Vence en 10 minutos y sirve una sola vez. Si no lo pediste, ignora este correo.")
            .Button("Ingresar el código", urls.Absolute($"/portal/{mail.Brand.PublicCode}/verificar/{verification.Id}"), "Ingrésalo aquí");
        // The code leads the subject so it shows in notifications.
        db.Outbox.Add(OutboxMessage.Email(db.CurrentCompanyId, mail.Message(email, $"Tu código para {mail.Brand.Name}: {code}", body), now));
        await db.SaveChangesAsync(ct);
        return verification.Id;
    }

    public enum Outcome { Verified, Wrong, Expired }

    public async Task<(Outcome Outcome, long CustomerId)> VerifyAsync(Guid id, string? code, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.PortalVerificationCodes
            .Where(v => v.Id == id && v.UsedAt == null && v.ExpiresAt > now && v.Attempts < MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Attempts, v => v.Attempts + 1), ct);
        if (claimed == 0)
        {
            return (Outcome.Expired, 0);
        }
        var verification = await db.PortalVerificationCodes.AsNoTracking().SingleAsync(v => v.Id == id, ct);
        var expected = Convert.FromHexString(verification.CodeHash);
        var given = Convert.FromHexString(Hash(id, (code ?? "").Trim()));
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return (Outcome.Wrong, 0);
        }
        var used = await db.PortalVerificationCodes.Where(v => v.Id == id && v.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.UsedAt, now), ct);
        return used == 1 ? (Outcome.Verified, verification.CustomerId) : (Outcome.Expired, 0);
    }

    private static string Hash(Guid id, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{id:N}:{code}")));
}
