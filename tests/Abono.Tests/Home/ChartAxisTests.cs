using Abono.Web.Features.Home;

namespace Abono.Tests.Home;

/// <summary>Inicio's money axis: round steps from $0 to at least the best day, labelled as amounts are written in Chile.</summary>
public class ChartAxisTests
{
    [Theory]
    [InlineData(1_200_000, 500_000, 1_500_000)]
    [InlineData(19_041_843_210, 5_000_000_000, 20_000_000_000)]
    [InlineData(35_700, 10_000, 40_000)]
    [InlineData(100_000, 50_000, 100_000)]
    [InlineData(0, 500, 1_000)]
    public void The_axis_climbs_in_round_steps_to_at_least_the_largest_value(long max, long step, long top)
    {
        var axis = ChartAxis.For(max);

        Assert.Equal(step, axis.Step);
        Assert.Equal(top, axis.Top);
        Assert.Equal(0, axis.Ticks[0]);
        Assert.Equal(top, axis.Ticks[^1]);
        Assert.InRange(axis.Ticks.Count - 1, 2, 4);
    }

    [Fact]
    public void Tick_labels_are_whole_pesos_with_dots_between_thousands()
    {
        var axis = ChartAxis.For(1_200_000);

        Assert.Equal(["$0", "$500.000", "$1.000.000", "$1.500.000"], axis.Labels);
        Assert.True(axis.LabelWidth(12) >= "$1.500.000".Length * 7, "the axis leaves room for its longest label");
    }
}
