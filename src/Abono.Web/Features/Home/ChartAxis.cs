using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Home;

/// <summary>
/// A money axis from $0 with round steps (1, 2 or 5 times a power of ten), so its labels read as people count:
/// $0 · $50.000 · $100.000 · $150.000. The top tick is at or above the largest value: no bar leaves the chart.
/// </summary>
public sealed class ChartAxis
{
    private ChartAxis(long top, long step)
    {
        Top = top;
        Step = step;
    }

    /// <summary>The highest tick; bars are drawn as a share of it.</summary>
    public long Top { get; }

    public long Step { get; }

    /// <summary>$0 first, <see cref="Top"/> last.</summary>
    public IReadOnlyList<long> Ticks => Enumerable.Range(0, (int)(Top / Step) + 1).Select(i => i * Step).ToList();

    /// <summary>Tick labels as amounts are written everywhere else in the app ($1.200.000).</summary>
    public IReadOnlyList<string> Labels => Ticks.Select(ChileFormats.Clp).ToList();

    /// <summary>Width in CSS pixels that the longest label needs at <paramref name="fontSize"/> px, with a small gap.</summary>
    public int LabelWidth(int fontSize) => (int)Math.Ceiling(Labels.Max(l => l.Length) * fontSize * 0.62) + 8;

    /// <summary>An axis for values up to <paramref name="max"/> with about <paramref name="intervals"/> steps (never more).</summary>
    public static ChartAxis For(long max, int intervals = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        // With nothing collected the axis still reads as money: $0 · $500 · $1.000.
        max = Math.Max(max, 1_000);
        var raw = (double)max / intervals;
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1L, 2L, 5L, 10L }.Select(m => m * magnitude).First(s => s >= raw);
        var top = (max + step - 1) / step * step;
        return new ChartAxis(top, step);
    }
}
