using Abono.Web.Platform.Outbox;
using MimeKit;

namespace Abono.Web.Platform.Email;

/// <summary>
/// Development without an SMTP server: each email becomes an .eml file in data/mail, listed at /dev/correos.
/// Chosen when Smtp:Host is empty; production always configures a host.
/// </summary>
public sealed class PickupFolderEmailSender(IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<SmtpOptions> options) : IEmailSender
{
    public string Folder => Path.Combine(environment.ContentRootPath, "data", "mail");

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var mime = SmtpEmailSender.Build(message, options.Value);
        var file = Path.Combine(Folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        await mime.WriteToAsync(file, ct);
    }

    /// <summary>One email by its file name as listed; null for any other name (no paths: only files of the folder).</summary>
    public MimeMessage? Load(string? name)
    {
        if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || !name.EndsWith(".eml", StringComparison.Ordinal))
        {
            return null;
        }
        var file = Path.Combine(Folder, name);
        return File.Exists(file) ? MimeMessage.Load(file) : null;
    }

    public IEnumerable<(string Name, MimeMessage Message)> List() =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.eml").OrderByDescending(f => f).Take(100).Select(f => (Path.GetFileName(f), MimeMessage.Load(f)))
            : [];
}
