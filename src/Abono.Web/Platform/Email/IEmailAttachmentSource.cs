namespace Abono.Web.Platform.Email;

/// <summary>
/// Renders an attachment of a queued email when it is sent (see <see cref="Outbox.EmailAttachment.RenderedBy"/>).
/// Modules register one per kind of content they defer; rendering must be repeatable, since delivery is at least once.
/// </summary>
public interface IEmailAttachmentSource
{
    /// <summary>The <see cref="Outbox.EmailAttachment.RenderedBy"/> value this source renders.</summary>
    string Name { get; }

    /// <param name="companyId">The company the email is sent for (the outbox row's).</param>
    /// <param name="input">What the queuing code stored in <see cref="Outbox.EmailAttachment.RenderInput"/>.</param>
    Task<byte[]> RenderAsync(Guid? companyId, string input, CancellationToken ct);
}
