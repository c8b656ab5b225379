using System.Net;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.Http;

namespace Abono.Tests.Platform.Security;

public class LoginThrottleTests
{
    [Fact]
    public void Delays_start_after_the_free_failures_double_and_stop_at_the_ceiling()
    {
        var seconds = Enumerable.Range(0, 12).Select(n => LoginThrottle.PerSubject.DelayAfter(n).TotalSeconds).ToArray();
        Assert.Equal([0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300], seconds);
        Assert.Equal(TimeSpan.Zero, LoginThrottle.PerSource.DelayAfter(9));
        Assert.Equal(TimeSpan.FromSeconds(2), LoginThrottle.PerSource.DelayAfter(10));
        Assert.Equal(LoginThrottle.PerSource.MaxDelay, LoginThrottle.PerSource.DelayAfter(10_000));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void A_source_is_the_client_address_and_an_IPv6_client_its_64(string address, string source)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        Assert.Equal(source, ClientSource.Of(context));
    }

    [Theory]
    [InlineData(1, "1 segundo")]
    [InlineData(40, "40 segundos")]
    [InlineData(60, "1 minuto")]
    [InlineData(90, "2 minutos")]
    [InlineData(300, "5 minutos")]
    public void The_wait_is_said_in_words(int seconds, string words) => Assert.Equal(words, LoginThrottle.Describe(seconds));
}
