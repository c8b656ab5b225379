using Abono.Web.Features.Payments;

namespace Abono.Tests.Payments;

public class CheckoutStateMachineTests
{
    private static readonly (CheckoutState From, CheckoutState To)[] Legal =
    [
        (CheckoutState.Created, CheckoutState.Pending), (CheckoutState.Created, CheckoutState.Succeeded),
        (CheckoutState.Created, CheckoutState.Failed), (CheckoutState.Created, CheckoutState.Cancelled),
        (CheckoutState.Created, CheckoutState.Expired), (CheckoutState.Created, CheckoutState.Unknown),
        (CheckoutState.Pending, CheckoutState.Succeeded), (CheckoutState.Pending, CheckoutState.Failed),
        (CheckoutState.Pending, CheckoutState.Cancelled), (CheckoutState.Pending, CheckoutState.Expired),
        (CheckoutState.Pending, CheckoutState.Unknown),
        (CheckoutState.Unknown, CheckoutState.Pending), (CheckoutState.Unknown, CheckoutState.Succeeded),
        (CheckoutState.Unknown, CheckoutState.Failed), (CheckoutState.Unknown, CheckoutState.Cancelled),
        (CheckoutState.Unknown, CheckoutState.Expired),
        (CheckoutState.Cancelled, CheckoutState.Succeeded), (CheckoutState.Expired, CheckoutState.Succeeded),
        (CheckoutState.Failed, CheckoutState.Succeeded),
    ];

    public static TheoryData<CheckoutState, CheckoutState> AllPairs()
    {
        var data = new TheoryData<CheckoutState, CheckoutState>();
        foreach (var from in Enum.GetValues<CheckoutState>())
        {
            foreach (var to in Enum.GetValues<CheckoutState>())
            {
                data.Add(from, to);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_transition_is_either_allowed_or_throws(CheckoutState from, CheckoutState to)
    {
        var checkout = new Checkout { Description = "x", State = from };
        var now = DateTime.UtcNow;
        if (Legal.Contains((from, to)))
        {
            checkout.MoveTo(to, now);
            Assert.Equal(to, checkout.State);
            Assert.Equal(CheckoutStateMachine.IsFinal(to) ? now : null, checkout.CompletedAt);
        }
        else
        {
            var ex = Assert.Throws<IllegalCheckoutTransitionException>(() => checkout.MoveTo(to, now));
            Assert.Equal((from, to), (ex.From, ex.To));
            Assert.Equal(from, checkout.State);
        }
    }

    [Fact]
    public void Unknown_is_not_final_and_not_failed()
    {
        Assert.False(CheckoutStateMachine.IsFinal(CheckoutState.Unknown));
        Assert.True(CheckoutStateMachine.CanMove(CheckoutState.Unknown, CheckoutState.Succeeded));
    }

    [Fact]
    public void Succeeded_goes_nowhere()
    {
        Assert.True(CheckoutStateMachine.IsFinal(CheckoutState.Succeeded));
        Assert.DoesNotContain(CheckoutState.Succeeded, CheckoutStateMachine.SourcesOf(CheckoutState.Succeeded));
        Assert.All(Enum.GetValues<CheckoutState>(), to => Assert.False(CheckoutStateMachine.CanMove(CheckoutState.Succeeded, to)));
    }

    [Theory]
    [InlineData(CheckoutState.Failed)]
    [InlineData(CheckoutState.Cancelled)]
    [InlineData(CheckoutState.Expired)]
    public void An_abandoned_checkout_is_final_for_the_payer_but_a_late_approval_still_counts(CheckoutState state)
    {
        Assert.True(CheckoutStateMachine.IsFinal(state));
        Assert.Contains(state, CheckoutStateMachine.SourcesOf(CheckoutState.Succeeded));
        Assert.DoesNotContain(state, CheckoutStateMachine.SourcesOf(CheckoutState.Failed));
    }
}
