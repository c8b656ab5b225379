using System.Text.Json;
using Abono.Web.Platform.Outbox;

namespace Abono.Web.Platform.Email;

/// <summary>Sends queued emails; the row's id becomes the Message-ID, so a resend after a crash is recognisably the same email.</summary>
public sealed class EmailOutboxHandler(IEmailSender email) : IOutboxHandler
{
    public string Kind => OutboxMessage.EmailKind;

    public Task DeliverAsync(OutboxMessage message, CancellationToken ct) =>
        email.SendAsync(JsonSerializer.Deserialize<EmailMessage>(message.Payload)! with { MessageId = $"outbox-{message.Id}@abono.cl", CompanyId = message.CompanyId }, ct);
}
