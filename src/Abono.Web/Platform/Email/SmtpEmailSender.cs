using System.Collections.Concurrent;
using Abono.Web.Platform.Outbox;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Abono.Web.Platform.Email;

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;

    /// <summary>None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Abono <no-reply@abono.cl>";
}

/// <summary>
/// Real SMTP through MailKit. Called only by the outbox relay, never inside a request's transaction. Connections are
/// kept for a few seconds and reused (an SMTP session per email made the relay the slowest part of a receipt), at
/// most a handful at a time; a connection that failed is never reused, and a failed send is retried by the relay.
/// </summary>
public sealed class SmtpEmailSender(Microsoft.Extensions.Options.IOptions<SmtpOptions> options, TimeProvider clock) : IEmailSender, IAsyncDisposable
{
    private static readonly TimeSpan ReuseWithin = TimeSpan.FromSeconds(20);
    private const int MaxIdle = 4;
    private readonly ConcurrentQueue<(SmtpClient Client, DateTimeOffset LastUsed)> _idle = new();

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        var mime = Build(message, settings);
        var client = await RentAsync(settings, ct);
        try
        {
            await client.SendAsync(mime, ct);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        if (_idle.Count < MaxIdle)
        {
            _idle.Enqueue((client, clock.GetUtcNow()));
        }
        else
        {
            await client.DisconnectAsync(quit: true, ct);
            client.Dispose();
        }
    }

    private async Task<SmtpClient> RentAsync(SmtpOptions settings, CancellationToken ct)
    {
        while (_idle.TryDequeue(out var idle))
        {
            if (idle.Client.IsConnected && clock.GetUtcNow() - idle.LastUsed < ReuseWithin)
            {
                return idle.Client;
            }
            idle.Client.Dispose();
        }
        var client = new SmtpClient { Timeout = 20_000 };
        try
        {
            var security = Enum.TryParse<SecureSocketOptions>(settings.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.Auto;
            await client.ConnectAsync(settings.Host, settings.Port, security, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryDequeue(out var idle))
        {
            try
            {
                await idle.Client.DisconnectAsync(quit: true);
            }
            catch (Exception ex) when (ex is IOException or MailKit.ServiceNotConnectedException or System.Net.Sockets.SocketException)
            {
            }
            idle.Client.Dispose();
        }
    }

    public static MimeMessage Build(EmailMessage message, SmtpOptions settings)
    {
        var mime = new MimeMessage();
        var from = MailboxAddress.Parse(settings.From);
        var fromName = DisplayName(message.FromName);
        mime.From.Add(fromName is null ? from : new MailboxAddress(fromName, from.Address));
        mime.To.Add(MailboxAddress.Parse(message.To));
        // A Reply-To that does not parse is dropped rather than failing the email on every retry.
        if (!string.IsNullOrWhiteSpace(message.ReplyTo) && MailboxAddress.TryParse(message.ReplyTo.Trim(), out var replyTo))
        {
            mime.ReplyTo.Add(replyTo);
        }
        mime.Subject = message.Subject;
        if (message.MessageId is not null)
        {
            mime.MessageId = message.MessageId;
        }
        // Text and HTML become multipart/alternative; inline images go with the HTML (multipart/related).
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        foreach (var attachment in message.Attachments ?? [])
        {
            var content = Convert.FromBase64String(attachment.Base64Content);
            var type = ContentType.Parse(attachment.ContentType);
            if (attachment.ContentId is not null && message.HtmlBody is not null)
            {
                body.LinkedResources.Add(attachment.FileName, content, type).ContentId = attachment.ContentId;
            }
            else
            {
                body.Attachments.Add(attachment.FileName, content, type);
            }
        }
        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>
    /// A display name safe for the From header: portal names are typed by businesses, so control characters (a CR/LF
    /// could start a header of its own) become spaces, runs of spaces collapse and the length is capped; MimeKit then
    /// quotes and encodes what is left.
    /// </summary>
    public const int MaxDisplayName = 120;

    public static string? DisplayName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var clean = string.Join(' ', new string(name.Select(c => char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c).ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length > MaxDisplayName)
        {
            clean = clean[..(char.IsHighSurrogate(clean[MaxDisplayName - 1]) ? MaxDisplayName - 1 : MaxDisplayName)];
        }
        return clean.Length == 0 ? null : clean;
    }
}
