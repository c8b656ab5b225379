namespace Abono.Web.Platform.Outbox;

/// <summary>
/// Delivers one kind of outbox message. Each module registers the kinds it writes (email here, webhooks in
/// Features/Webhooks), so the relay knows how to lease, retry and mark rows, and nothing of what they carry.
/// Delivery is at least once: a handler may see the same message again after a crash, and must be safe to repeat.
/// </summary>
public interface IOutboxHandler
{
    /// <summary>The <see cref="OutboxMessage.Kind"/> this handler delivers.</summary>
    string Kind { get; }

    Task DeliverAsync(OutboxMessage message, CancellationToken ct);
}
