using System.Text.Json;

namespace Abono.Web.Platform.Outbox;

/// <summary>
/// A message to deliver after a transaction commits, written in that same transaction. The relay claims rows with a
/// lease, delivers, and retries with backoff, so a crash between commit and delivery loses nothing.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid? CompanyId { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    public Guid? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }

    public const string EmailKind = "email";

    public static OutboxMessage Email(Guid? companyId, EmailMessage email, DateTime now) => new()
    {
        CompanyId = companyId,
        Kind = EmailKind,
        Payload = JsonSerializer.Serialize(email),
        CreatedAt = now,
        NextAttemptAt = now,
    };
}

/// <param name="MessageId">Set by the relay from the outbox row: a resend after a crash carries the same Message-ID, so mail systems can tell it is the same email.</param>
public sealed record EmailMessage(string To, string Subject, string TextBody, IReadOnlyList<EmailAttachment>? Attachments = null, string? MessageId = null);

public sealed record EmailAttachment(string FileName, string ContentType, string Base64Content);
