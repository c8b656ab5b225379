using System.Security.Cryptography;
using System.Text;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// Verificar con código: a 6-digit code (10⁶ values, the ~20 bits OWASP ASVS 5.0 §6.5 asks of out-of-band codes) sent
/// to the customer's email on file, valid 10 minutes, used once. Both ends are bounded:
/// <list type="bullet">
/// <item>sends: at most <see cref="SendsPerWindow"/> per customer per 15 minutes (further identifications reuse the
/// code already sent, without another email), <see cref="SendsPerHour"/> per customer per hour, and
/// <see cref="SendsPerSourcePerWindow"/> per source (client address) per 15 minutes;</item>
/// <item>guesses: <see cref="MaxAttempts"/> per code and <see cref="GuessesPerCustomerPerHour"/> per customer per hour
/// across all its codes, counted with guarded updates so parallel guesses cannot slip past the per-code limit.</item>
/// </list>
/// </summary>
public sealed class VerificationCodes(AbonoDbContext db, TimeProvider clock, Platform.Web.AppUrls urls)
{
    public const int MaxAttempts = 5;
    public const int SendsPerWindow = 3;
    public const int SendsPerHour = 6;
    public const int SendsPerSourcePerWindow = 10;
    public const int GuessesPerCustomerPerHour = 10;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const string TooManyMessage =
        "Ya te enviamos varios códigos. Revisa tu correo (también la carpeta de spam) o espera unos minutos para pedir otro.";

    /// <summary>
    /// The code to ask for: a new one (emailed), or, when this customer already asked for several, the last one still
    /// valid (no new email). Null when the limits allow neither: the caller shows <see cref="TooManyMessage"/>.
    /// </summary>
    public async Task<Guid?> SendAsync(long customerId, string email, string? source, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sourceHash = source is null ? null : TokenFactory.Hash($"code-source|{source}");
        var lastHour = await db.PortalVerificationCodes.AsNoTracking()
            .Where(v => v.CustomerId == customerId && v.CreatedAt > now - TimeSpan.FromHours(1))
            .Select(v => new { v.Id, v.CreatedAt, v.ExpiresAt, v.UsedAt, v.Attempts }).ToListAsync(ct);
        var fromSource = sourceHash is null ? 0 : await db.PortalVerificationCodes.IgnoreQueryFilters()
            .CountAsync(v => v.SourceHash == sourceHash && v.CreatedAt > now - Window, ct);
        if (lastHour.Count(v => v.CreatedAt > now - Window) >= SendsPerWindow || lastHour.Count >= SendsPerHour || fromSource >= SendsPerSourcePerWindow)
        {
            return lastHour.Where(v => v.UsedAt == null && v.ExpiresAt > now && v.Attempts < MaxAttempts)
                .OrderByDescending(v => v.CreatedAt).Select(v => (Guid?)v.Id).FirstOrDefault();
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var verification = new PortalVerificationCode { CustomerId = customerId, CodeHash = "", CreatedAt = now, ExpiresAt = now + Lifetime, SourceHash = sourceHash };
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
        var hourAgo = now - TimeSpan.FromHours(1);
        var claimed = await db.PortalVerificationCodes
            .Where(v => v.Id == id && v.UsedAt == null && v.ExpiresAt > now && v.Attempts < MaxAttempts
                // Guesses across all of this customer's codes of the last hour: asking for new codes buys no more tries.
                && db.PortalVerificationCodes.Where(o => o.CustomerId == v.CustomerId && o.CreatedAt > hourAgo).Sum(o => o.Attempts) < GuessesPerCustomerPerHour)
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
