using Abono.Web.Data;
using Npgsql;

namespace Abono.Tests.Platform;

/// <summary>Issue #19: the app's own PostgreSQL settings for its hot pages, and what an operator writes always wins.</summary>
public class PostgresDefaultsTests
{
    [Fact]
    public void A_plain_connection_string_gets_statement_preparation_and_no_reset_round_trip()
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithProductionDefaults("Host=db;Database=abono;Username=abono"));
        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
        Assert.Equal("abono", settings.Database);
    }

    [Fact]
    public void Settings_the_operator_wrote_are_kept_even_when_they_turn_the_defaults_off()
    {
        var settings = new NpgsqlConnectionStringBuilder(DataExtensions.WithProductionDefaults("Host=db;Max Auto Prepare=0;No Reset On Close=false"));
        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
    }
}
