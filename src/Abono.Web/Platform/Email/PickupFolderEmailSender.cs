using Abono.Web.Platform.Outbox;
using MimeKit;

namespace Abono.Web.Platform.Email;

/// <summary>
/// Development without an SMTP server: each email becomes an .eml file in data/mail, listed at /dev/correos.
/// Chosen when Smtp:Host is empty; production always configures a host.
/// </summary>
public sealed class PickupFolderEmailSender(IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<SmtpOptions> options) : IEmailSender
{
    /// <summary>
    /// The company an email was sent for, written into the .eml only here (real SMTP mail does not carry Abono's
    /// internal ids to its recipients), so /dev/correos can show each company only its own mail.
    /// </summary>
    public const string CompanyHeader = "X-Abono-Company";

    public string Folder => Path.Combine(environment.ContentRootPath, "data", "mail");

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var mime = SmtpEmailSender.Build(message, options.Value);
        if (message.CompanyId is { } company)
        {
            mime.Headers.Add(CompanyHeader, company.ToString());
        }
        var file = Path.Combine(Folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        await mime.WriteToAsync(file, ct);
    }

    /// <summary>The company an email was sent for; null for Abono's own mail and for files written before the header.</summary>
    public static Guid? CompanyOf(MimeMessage message) =>
        Guid.TryParse(message.Headers[CompanyHeader], out var company) ? company : null;

    /// <summary>
    /// One email by its file name as listed, when <paramref name="visible"/> allows it; null for any other name (no
    /// paths: only files of the folder).
    /// </summary>
    public MimeMessage? Load(string? name, Func<MimeMessage, bool> visible)
    {
        if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || !name.EndsWith(".eml", StringComparison.Ordinal))
        {
            return null;
        }
        var file = Path.Combine(Folder, name);
        return File.Exists(file) && MimeMessage.Load(file) is { } message && visible(message) ? message : null;
    }

    /// <summary>The latest hundred emails that <paramref name="visible"/> allows, newest first.</summary>
    public IEnumerable<(string Name, MimeMessage Message)> List(Func<MimeMessage, bool> visible) =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.eml").OrderByDescending(f => f).Select(f => (Name: Path.GetFileName(f), Message: MimeMessage.Load(f)))
                .Where(m => visible(m.Message)).Take(100)
            : [];
}
