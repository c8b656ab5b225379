using Abono.Web.Features.Customers;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;

namespace Abono.Tests.Customers;

/// <summary>The estado de cuenta's aging tramos and its period, at their edges.</summary>
public class StatementAgingTests
{
    private static readonly DateOnly Today = new(2026, 7, 15);

    [Theory]
    [InlineData(-10, AgingBucket.Current)]
    [InlineData(0, AgingBucket.Current)]
    [InlineData(1, AgingBucket.Days1To30)]
    [InlineData(30, AgingBucket.Days1To30)]
    [InlineData(31, AgingBucket.Days31To60)]
    [InlineData(60, AgingBucket.Days31To60)]
    [InlineData(61, AgingBucket.Days61To90)]
    [InlineData(90, AgingBucket.Days61To90)]
    [InlineData(91, AgingBucket.Over90)]
    [InlineData(5_000, AgingBucket.Over90)]
    public void A_document_falls_in_its_tramo_by_days_past_its_due_date(int daysLate, AgingBucket expected)
    {
        var due = Today.AddDays(-daysLate);
        Assert.Equal(expected, Aging.Of(due, Today));
        Assert.Equal(Math.Max(0, daysLate), Aging.DaysOverdue(due, Today));
    }

    [Fact]
    public void Due_today_is_al_dia_and_the_next_day_is_one_day_late()
    {
        Assert.Equal(AgingBucket.Current, Aging.Of(Today, Today));
        Assert.Equal(AgingBucket.Days1To30, Aging.Of(Today, Today.AddDays(1)));
        Assert.Equal("Al día", AgingBucket.Current.Label());
        Assert.Equal("Más de 90 días", AgingBucket.Over90.Label());
    }

    [Fact]
    public void Totals_have_every_tramo_in_order_with_counts_and_balances()
    {
        var totals = Aging.Totals(
        [
            (Today.AddDays(5), 100), (Today, 200), (Today.AddDays(-1), 300), (Today.AddDays(-30), 400),
            (Today.AddDays(-31), 500), (Today.AddDays(-91), 600), (Today.AddDays(-400), 700),
        ], Today);
        Assert.Equal(Aging.Buckets, totals.Select(t => t.Bucket));
        Assert.Equal([300L, 700, 500, 0, 1_300], totals.Select(t => t.Amount));
        Assert.Equal([2, 2, 1, 0, 2], totals.Select(t => t.Documents));
    }

    [Fact]
    public void A_blank_period_is_the_current_month_up_to_today()
    {
        var errors = new FieldErrors();
        var period = StatementPeriod.Parse(null, " ", Today, errors);
        Assert.False(errors.Any);
        Assert.Equal(new StatementPeriod(new DateOnly(2026, 7, 1), Today), period);
        Assert.Equal("01-07-2026 al 15-07-2026", period!.Label);
    }

    [Fact]
    public void Both_the_date_input_format_and_the_chilean_one_are_read()
    {
        var errors = new FieldErrors();
        var period = StatementPeriod.Parse("2026-01-31", "15-03-2026", Today, errors);
        Assert.False(errors.Any);
        Assert.Equal(new StatementPeriod(new DateOnly(2026, 1, 31), new DateOnly(2026, 3, 15)), period);
        Assert.Equal("2026-01-31", period!.FromValue);
    }

    [Fact]
    public void Desde_after_hasta_is_refused_under_hasta()
    {
        var errors = new FieldErrors();
        Assert.Null(StatementPeriod.Parse("2026-07-10", "2026-07-09", Today, errors));
        Assert.Equal(["La fecha «hasta» es anterior a «desde»."], errors.All["hasta"]);
        Assert.NotNull(StatementPeriod.Parse("2026-07-10", "2026-07-10", Today, new FieldErrors()));
    }

    [Fact]
    public void A_period_may_span_366_days_and_not_one_more()
    {
        Assert.NotNull(StatementPeriod.Parse("2024-01-01", "2024-12-31", Today, new FieldErrors()));
        var errors = new FieldErrors();
        Assert.Null(StatementPeriod.Parse("2024-01-01", "2025-01-01", Today, errors));
        Assert.Contains("366 días", errors.All["hasta"].Single());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2026-02-31")]
    [InlineData("2026-13-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("'; DROP TABLE \"Payments\"; --")]
    [InlineData("1e9")]
    [InlineData("-1")]
    public void Hostile_dates_get_a_spanish_message_that_does_not_echo_them(string value)
    {
        var errors = new FieldErrors();
        Assert.Null(StatementPeriod.Parse(value, "2026-07-01", Today, errors));
        var message = Assert.Single(errors.All["desde"]);
        Assert.StartsWith("La fecha «desde»", message);
        Assert.DoesNotContain(value, message);

        var both = new FieldErrors();
        Assert.Null(StatementPeriod.Parse(value, new string('9', 5_000), Today, both));
        Assert.True(both.Has("desde") && both.Has("hasta"));
    }

    [Fact]
    public void A_day_whose_midnight_chile_skips_starts_at_its_first_real_minute()
    {
        // Chile starts summer time at 24:00 on the first Saturday of September: 2025-09-07 00:00 never happened there.
        var day = new DateOnly(2025, 9, 7);
        var start = StatementPeriod.ChileStartOfDayUtc(day);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
        Assert.True(start < StatementPeriod.ChileStartOfDayUtc(day.AddDays(1)));
        if (ChileFormats.TimeZone.Id != TimeZoneInfo.Utc.Id)
        {
            Assert.Equal(new DateTime(2025, 9, 7, 4, 0, 0, DateTimeKind.Utc), start);
            Assert.Equal(new DateTime(2025, 9, 6, 4, 0, 0, DateTimeKind.Utc), StatementPeriod.ChileStartOfDayUtc(day.AddDays(-1)));
        }
    }
}
