using System.Text.Json;
using Abono.Web.Platform.Outbox;

namespace Abono.Web.Platform.Email;

/// <summary>
/// Sends queued emails; the row's id becomes the Message-ID, so a resend after a crash is recognisably the same email.
/// Attachments queued for rendering at send time are rendered here, by the module that deferred them.
/// </summary>
public class EmailOutboxHandler(IEmailSender email, IEnumerable<IEmailAttachmentSource> sources) : IOutboxHandler
{
    private readonly Dictionary<string, IEmailAttachmentSource> _sources = sources.ToDictionary(s => s.Name);

    public virtual string Kind => OutboxMessage.EmailKind;

    public async Task DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var queued = JsonSerializer.Deserialize<EmailMessage>(message.Payload)!;
        var attachments = queued.Attachments;
        if (attachments is not null && attachments.Any(a => a.RenderedBy is not null))
        {
            var rendered = new List<EmailAttachment>(attachments.Count);
            foreach (var attachment in attachments)
            {
                rendered.Add(attachment.RenderedBy is not { } source ? attachment : attachment with
                {
                    Base64Content = Convert.ToBase64String(await Source(source).RenderAsync(message.CompanyId, attachment.RenderInput ?? "", ct)),
                    RenderedBy = null,
                    RenderInput = null,
                });
            }
            attachments = rendered;
        }
        await email.SendAsync(queued with { Attachments = attachments, MessageId = $"outbox-{message.Id}@abono.cl", CompanyId = message.CompanyId }, ct);
    }

    // An unknown source fails the delivery (retried with backoff, error recorded) rather than sending without the file.
    private IEmailAttachmentSource Source(string name) =>
        _sources.TryGetValue(name, out var source) ? source : throw new InvalidOperationException($"No email attachment source named '{name}'.");
}

/// <summary>The same delivery for <see cref="OutboxMessage.RenderedEmailKind"/> rows (emails with attachments rendered at send time).</summary>
public sealed class RenderedEmailOutboxHandler(IEmailSender email, IEnumerable<IEmailAttachmentSource> sources) : EmailOutboxHandler(email, sources)
{
    public override string Kind => OutboxMessage.RenderedEmailKind;
}
