using System.Buffers.Binary;
using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// Emails a business sends through Abono (receipts, reminders, links, codes, transfer notices): its brand in the
/// layout (logo inline, accent, contact footer), its portal's name as the sender ("Comercial Demo vía Abono") and
/// its Emisor as Reply-To, so a payer who answers reaches the business instead of our no-reply address.
/// </summary>
public sealed class BrandedEmail
{
    public const string LogoContentId = "logo@abono.cl";

    // Room the logo gets in the header; logos are at most 480×160, so most are shown scaled down (sharp on HiDPI).
    private const int MaxLogoWidth = 220;
    private const int MaxLogoHeight = 56;

    private readonly EmailAttachment? _logo;

    public BrandedEmail(PortalBrand brand, byte[]? logoPng, string? issuerEmail)
    {
        Brand = brand;
        IssuerEmail = string.IsNullOrWhiteSpace(issuerEmail) ? null : issuerEmail.Trim();
        var size = logoPng is null ? null : LogoSize(logoPng);
        _logo = size is null ? null : new EmailAttachment("logo.png", "image/png", Convert.ToBase64String(logoPng!), LogoContentId);
        var contact = string.Join(" · ", new[] { brand.Email, brand.Phone is { } phone ? ChileanPhone.Format(phone) : null, brand.Address }.Where(x => x is not null));
        EmailBrand = new EmailBrand(brand.Name, brand.Accent,
            [
                $"{brand.CompanyName} · RUT {Rut.Format(brand.CompanyRut)}",
                .. contact.Length > 0 ? new[] { $"¿Dudas? Contacta a {brand.CompanyName}: {contact}" } : [],
                "Pagos procesados con Abono",
            ],
            size is { } s ? new EmailLogo(LogoContentId, s.Width, s.Height) : null);
    }

    public PortalBrand Brand { get; }

    /// <summary>The portal's Emisor: where payers' answers go, and who hears of declared transfers.</summary>
    public string? IssuerEmail { get; }

    public EmailBrand EmailBrand { get; }

    /// <summary>"{portal} vía Abono": whose email it is, and who delivers it.</summary>
    public string SenderName => $"{Brand.Name} vía Abono";

    /// <summary>The company's brand, logo and Emisor; null for an unknown company.</summary>
    public static async Task<BrandedEmail?> LoadAsync(AbonoDbContext db, Guid companyId, CancellationToken ct)
    {
        var brand = await PortalBrand.LoadAsync(db, companyId, ct);
        if (brand is null)
        {
            return null;
        }
        var logo = brand.HasLogo ? await PortalBrand.LogoAsync(db, companyId, ct) : null;
        var issuer = await db.PortalConfigurations.IgnoreQueryFilters().Where(p => p.CompanyId == companyId).Select(p => p.IssuerEmail).SingleOrDefaultAsync(ct);
        return new BrandedEmail(brand, logo, issuer);
    }

    public EmailLayout Layout(string title) => new(EmailBrand, title);

    /// <summary>An email from the portal to <paramref name="to"/>; answers go to the Emisor (unless it is the Emisor's own copy).</summary>
    public EmailMessage Message(string to, string subject, EmailLayout body, IReadOnlyList<EmailAttachment>? attachments = null) =>
        Build(to, subject, body, string.Equals(to, IssuerEmail, StringComparison.OrdinalIgnoreCase) ? null : IssuerEmail, attachments);

    /// <summary>An email from the portal to its Emisor; <paramref name="replyTo"/> lets the Emisor answer the customer directly.</summary>
    public EmailMessage ToEmisor(string subject, EmailLayout body, string? replyTo = null) =>
        Build(IssuerEmail ?? throw new InvalidOperationException("The portal has no Emisor."), subject, body, replyTo, null);

    private EmailMessage Build(string to, string subject, EmailLayout body, string? replyTo, IReadOnlyList<EmailAttachment>? attachments) =>
        new(to, subject, body.Text, [.. attachments ?? [], .. _logo is null ? Array.Empty<EmailAttachment>() : [_logo]], HtmlBody: body.Html,
            FromName: SenderName, ReplyTo: string.IsNullOrWhiteSpace(replyTo) ? null : replyTo);

    /// <summary>Display size from the PNG's own header (IHDR), so clients lay the header out before the image loads; null when it is not a PNG.</summary>
    public static (int Width, int Height)? LogoSize(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        if (width <= 0 || height <= 0)
        {
            return null;
        }
        var scale = Math.Min(1.0, Math.Min((double)MaxLogoWidth / width, (double)MaxLogoHeight / height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
