using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Platform.Outbox;

/// <summary>
/// A message to deliver after a transaction commits, written in that same transaction. The relay claims rows with a
/// lease, delivers, and retries with backoff, so a crash between commit and delivery loses nothing.
/// </summary>
public sealed class OutboxMessage : Jobs.ILeased
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

    /// <summary>
    /// An email with an attachment rendered when it is sent (<see cref="EmailAttachment.RenderedBy"/>). A kind of its
    /// own so that an older instance, which would send it with an empty attachment, leaves it for one that knows it
    /// (the relay retries a kind it has no handler for).
    /// </summary>
    public const string RenderedEmailKind = "email.rendered";

    public static OutboxMessage Email(Guid? companyId, EmailMessage email, DateTime now) => new()
    {
        CompanyId = companyId,
        Kind = email.Attachments?.Any(a => a.RenderedBy is not null) == true ? RenderedEmailKind : EmailKind,
        Payload = JsonSerializer.Serialize(email),
        CreatedAt = now,
        NextAttemptAt = now,
    };
}

internal sealed class OutboxConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
    }
}

/// <summary>
/// An email as stored in the outbox (JSON). Fields added later come last with defaults, so rows queued before them
/// still deserialize (and are sent as they were: plain text from Smtp:From).
/// </summary>
/// <param name="MessageId">Set by the relay from the outbox row: a resend after a crash carries the same Message-ID, so mail systems can tell it is the same email.</param>
/// <param name="HtmlBody">The HTML alternative of <paramref name="TextBody"/> (both are sent, as multipart/alternative).</param>
/// <param name="FromName">Display name of the sender ("Comercial Demo vía Abono"); the address is always Smtp:From's, so SPF/DKIM stay ours.</param>
/// <param name="ReplyTo">Where answers go (a portal's Emisor), since nobody reads the no-reply address.</param>
/// <param name="CompanyId">
/// The company the email is sent for, set by the relay from the outbox row (the row is where it is stored, so it is
/// not repeated in the payload). The pickup folder records it, so /dev/correos shows each company only its own mail.
/// </param>
public sealed record EmailMessage(string To, string Subject, string TextBody, IReadOnlyList<EmailAttachment>? Attachments = null, string? MessageId = null,
    string? HtmlBody = null, string? FromName = null, string? ReplyTo = null, [property: JsonIgnore] Guid? CompanyId = null);

/// <param name="ContentId">Set for an image the HTML shows inline (<c>cid:</c>): sent as a related part, not as an attachment.</param>
/// <param name="RenderedBy">
/// Set for content made when the email is sent rather than when it is queued (a receipt's PDF): the
/// <see cref="Email.IEmailAttachmentSource.Name"/> that renders it from <paramref name="RenderInput"/>, and
/// <paramref name="Base64Content"/> stays empty. Keeps the transaction that queues the email short and its row small.
/// </param>
public sealed record EmailAttachment(string FileName, string ContentType, string Base64Content, string? ContentId = null,
    string? RenderedBy = null, string? RenderInput = null)
{
    /// <summary>An attachment rendered at send time by the source named <paramref name="source"/>.</summary>
    public static EmailAttachment Deferred(string fileName, string contentType, string source, string input) =>
        new(fileName, contentType, "", RenderedBy: source, RenderInput: input);
}
