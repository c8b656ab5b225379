using Abono.Web.Features.Companies;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Payments;

/// <summary>
/// Our own record of one attempt to collect money, created before any gateway call. Its id is the idempotency key
/// and the order reference the gateway sees. Moves only through <see cref="CheckoutStateMachine"/>.
/// </summary>
public sealed class Checkout : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The company whose books this payment touches (the payer when it contracts a service).</summary>
    public Guid CompanyId { get; set; }
    public CheckoutPurpose Purpose { get; set; }

    /// <summary>What is being paid: the subscription, for a service contract (portal payments name their documents in CheckoutDocuments).</summary>
    public Guid? SubjectId { get; set; }

    /// <summary>The paying customer, for portal payments.</summary>
    public long? CustomerId { get; set; }
    public long Amount { get; set; }
    public string Currency { get; set; } = "CLP";
    public GatewayKind Gateway { get; set; }

    /// <summary>The company's configured method, or null when the platform collects with its own gateway.</summary>
    public long? PaymentMethodId { get; set; }
    public CheckoutState State { get; set; } = CheckoutState.Created;
    public string? GatewayReference { get; set; }
    public string? FailureReason { get; set; }
    public required string Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>When the checkout janitor asks the gateway next (null: no more asking; left for review).</summary>
    public DateTime? NextCheckAt { get; set; }

    /// <summary>How many times the janitor has asked; picks the next delay of the backoff.</summary>
    public int StatusChecks { get; set; }

    /// <summary>
    /// The portal form this checkout was started from (one key per rendered form): a second submit of the same form
    /// (double click, reload of the redirect page, a retried request) finds this checkout instead of starting another.
    /// </summary>
    public Guid? AttemptKey { get; set; }

    /// <summary>Where the provider's page is (JSON of <see cref="GatewayStart"/>), so a payer who came back can continue the same payment.</summary>
    public string? StartJson { get; set; }

    public bool IsFinal => CheckoutStateMachine.IsFinal(State);

    /// <summary>What a gateway adapter sees of this checkout: a value, so no entity of ours crosses into Gateways/.</summary>
    public GatewayCheckout ForGateway(GatewayContext context, string? payerIdentifier = null, string? payerEmail = null) =>
        new(Id, Amount, Currency, Description, GatewayReference, CreatedAt, ExpiresAt, CompletedAt, ReturnUrl(context.SelfBaseUrl, Id), payerIdentifier, payerEmail);

    /// <summary>Where every provider sends the payer back (Features/Payments/Return.cshtml).</summary>
    public static Uri ReturnUrl(Uri selfBaseUrl, Guid checkoutId) => new(selfBaseUrl, $"/pagos/retorno/{checkoutId}");

    /// <summary>
    /// The provider's page of this checkout while the payer can still complete it there (started, not decided, not
    /// expired); null otherwise. Sending the payer back to it never creates a second payment.
    /// </summary>
    public GatewayStart? ResumableStart(DateTime now) =>
        State == CheckoutState.Pending && StartJson is not null && now < ExpiresAt
            ? System.Text.Json.JsonSerializer.Deserialize<GatewayStart>(StartJson)
            : null;

    /// <summary>Moves in memory; illegal transitions throw. Concurrent writers use the guarded updates in PaymentConfirmation.</summary>
    public void MoveTo(CheckoutState next, DateTime now, string? reason = null)
    {
        CheckoutStateMachine.EnsureCanMove(State, next);
        State = next;
        UpdatedAt = now;
        if (reason is not null)
        {
            FailureReason = reason;
        }
        if (CheckoutStateMachine.IsFinal(next))
        {
            CompletedAt = now;
        }
    }
}

internal sealed class CheckoutConfiguration : IEntityTypeConfiguration<Checkout>
{
    public void Configure(EntityTypeBuilder<Checkout> b)
    {
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        b.Property(x => x.FailureReason).HasMaxLength(300);
        b.Property(x => x.Description).HasMaxLength(200);
        b.HasIndex(x => new { x.CompanyId, x.Purpose, x.CreatedAt });
        b.HasIndex(x => new { x.State, x.UpdatedAt });
        b.HasIndex(x => x.NextCheckAt);
        b.Property(x => x.StartJson).HasMaxLength(4000);
        // NULLs are distinct in unique indexes on both engines: only portal checkouts carry a key.
        b.HasIndex(x => new { x.CompanyId, x.CustomerId, x.AttemptKey }).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.IsFinal);
    }
}

public enum CheckoutPurpose
{
    ServiceContract = 1,
    DocumentPayment = 2,
}

public enum CheckoutState
{
    /// <summary>Recorded; the payer has not been sent to the gateway yet.</summary>
    Created = 1,

    /// <summary>The payer is at the gateway; no verified answer yet.</summary>
    Pending = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
    Expired = 6,

    /// <summary>May or may not have happened (timeout, ambiguous answer). Never treated as failed; re-asked later.</summary>
    Unknown = 7,
}

public sealed class IllegalCheckoutTransitionException(CheckoutState from, CheckoutState to)
    : InvalidOperationException($"A checkout cannot move from {from} to {to}.")
{
    public CheckoutState From { get; } = from;
    public CheckoutState To { get; } = to;
}

public static class CheckoutStateMachine
{
    private static readonly Dictionary<CheckoutState, CheckoutState[]> Allowed = new()
    {
        [CheckoutState.Created] = [CheckoutState.Pending, CheckoutState.Succeeded, CheckoutState.Failed, CheckoutState.Cancelled, CheckoutState.Expired, CheckoutState.Unknown],
        [CheckoutState.Pending] = [CheckoutState.Succeeded, CheckoutState.Failed, CheckoutState.Cancelled, CheckoutState.Expired, CheckoutState.Unknown],
        [CheckoutState.Unknown] = [CheckoutState.Pending, CheckoutState.Succeeded, CheckoutState.Failed, CheckoutState.Cancelled, CheckoutState.Expired],
        [CheckoutState.Succeeded] = [],
        // A late approval: the payer was rejected, left (or the clock ran out) and then paid after all, e.g. with
        // another card in the same Mercado Pago preference or back in the same Stripe page. The provider holds the
        // money, so it is recorded, never dropped. (A second approval of a Succeeded checkout is recorded too, as a
        // payment of its own: see PaymentConfirmation.)
        [CheckoutState.Failed] = [CheckoutState.Succeeded],
        [CheckoutState.Cancelled] = [CheckoutState.Succeeded],
        [CheckoutState.Expired] = [CheckoutState.Succeeded],
    };

    public static bool CanMove(CheckoutState from, CheckoutState to) => Allowed[from].Contains(to);

    public static void EnsureCanMove(CheckoutState from, CheckoutState to)
    {
        if (!CanMove(from, to))
        {
            throw new IllegalCheckoutTransitionException(from, to);
        }
    }

    /// <summary>Settled for the payer: no more questions to the gateway on their behalf (only a late approval can still arrive).</summary>
    public static bool IsFinal(CheckoutState state) =>
        state is CheckoutState.Succeeded or CheckoutState.Failed or CheckoutState.Cancelled or CheckoutState.Expired;

    /// <summary>The states from which <paramref name="to"/> may be reached: used in guarded UPDATE ... WHERE State IN (...).</summary>
    public static CheckoutState[] SourcesOf(CheckoutState to) =>
        Allowed.Where(a => a.Value.Contains(to)).Select(a => a.Key).ToArray();
}
