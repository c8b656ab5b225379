using Abono.Web.Gateways.Fintoc;
using Abono.Web.Gateways.Flow;
using Abono.Web.Gateways.Khipu;

namespace Abono.Tests.Payments.Gateways;

/// <summary>
/// The signing code of Khipu, Flow and Fintoc against vectors computed independently of it, with Python's hmac:
///   python3 -c 'import hmac,hashlib,base64; ...' (the exact expressions are in each test's comment).
/// </summary>
public class RailsSignatureTests
{
    private const string Body = "{\"payment_id\":\"abc123\",\"status\":\"done\"}";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);   // 2026-01-01T00:00:00Z

    [Fact]
    public void Khipu_signs_t_dot_body_in_base64_with_the_timestamp_in_milliseconds()
    {
        // base64.b64encode(hmac.new(b"khipuSecret2026abc", ("1767225600000."+body).encode(), hashlib.sha256).digest())
        const string expected = "gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=";
        Assert.Equal(expected, KhipuSignature.Sign("khipuSecret2026abc", "1767225600000", Body));
        Assert.Equal($"t=1767225600000,s={expected}", KhipuSignature.Header("khipuSecret2026abc", At, Body));
        Assert.True(KhipuSignature.IsValid($"t=1767225600000,s={expected}", Body, "khipuSecret2026abc", At.AddMinutes(4)));
    }

    [Theory]
    [InlineData("t=1767225600000,s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", "otherSecretOfSomeone", 0)]     // forged: another secret
    [InlineData("t=1767225600000,s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", "khipuSecret2026abc", 6)]       // stale: 6 minutes old
    [InlineData("t=1767225600001,s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", "khipuSecret2026abc", 0)]       // another t than was signed
    [InlineData("s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", "khipuSecret2026abc", 0)]                       // no t
    [InlineData("t=1767225600000,s=not base64!", "khipuSecret2026abc", 0)]
    [InlineData("", "khipuSecret2026abc", 0)]                                                                       // unsigned
    [InlineData("t=1767225600000,s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", "", 0)]                         // no secret configured
    public void Khipu_refuses_forged_stale_and_unsigned_notifications(string header, string secret, int minutesLater)
    {
        Assert.False(KhipuSignature.IsValid(header, Body, secret, At.AddMinutes(minutesLater)));
        Assert.False(KhipuSignature.IsValid("t=1767225600000,s=gHx1WEIE21qeg+WQlF0jrwu2RTlo/v3vqu+vlr0XJMM=", Body + " ", "khipuSecret2026abc", At));
    }

    [Fact]
    public void Fintoc_signs_t_dot_body_in_hex_with_the_timestamp_in_seconds()
    {
        // hmac.new(b"whsec_test_abc123", ("1767225600."+body).encode(), hashlib.sha256).hexdigest()
        const string expected = "d87361f58ef1ccc5f2b2edd0038235e0f122e45486821dae97c26925cb5f363f";
        Assert.Equal(expected, FintocSignature.Sign("whsec_test_abc123", "1767225600", Body));
        Assert.Equal($"t=1767225600,v1={expected}", FintocSignature.Header("whsec_test_abc123", At, Body));
        Assert.True(FintocSignature.IsValid($"t=1767225600,v1={expected}", Body, "whsec_test_abc123", At.AddMinutes(-4)));
        // While a secret is rolled Fintoc may send two v1 values: either one may hold.
        Assert.True(FintocSignature.IsValid($"t=1767225600,v1={new string('0', 64)},v1={expected}", Body, "whsec_test_abc123", At));
        Assert.False(FintocSignature.IsValid($"t=1767225600,v1={expected}", Body, "whsec_test_abc123", At.AddMinutes(6)));
        Assert.False(FintocSignature.IsValid($"t=1767225600,v1={expected}", Body, "whsec_someone_else", At));
        Assert.False(FintocSignature.IsValid($"t=1767225600,v1={expected}", Body.Replace("done", "pending"), "whsec_test_abc123", At));
        Assert.False(FintocSignature.IsValid($"t=1767225601,v1={expected}", Body, "whsec_test_abc123", At));
        Assert.False(FintocSignature.IsValid("", Body, "whsec_test_abc123", At));
    }

    [Fact]
    public void Flow_signs_the_parameters_sorted_by_ordinal_name_as_name_value_pairs()
    {
        var parameters = new Dictionary<string, string>
        {
            ["apiKey"] = "1F90971E-8276-4713-97FF-2BLF5091EE3B", ["amount"] = "5000", ["commerceOrder"] = "orden-1", ["subject"] = "Pago de prueba",
            ["currency"] = "CLP", ["email"] = "a@b.cl", ["urlConfirmation"] = "https://x.cl/c", ["urlReturn"] = "https://x.cl/r",
            ["Zeta"] = "1",   // upper case sorts first in ordinal order (Python's sorted, PHP's sort)
        };
        // s = "".join(k+params[k] for k in sorted(params)); hmac.new(b"flowSecretKey123", s.encode(), hashlib.sha256).hexdigest()
        Assert.Equal("Zeta1amount5000apiKey1F90971E-8276-4713-97FF-2BLF5091EE3BcommerceOrderorden-1currencyCLPemaila@b.clsubjectPago de prueba" +
            "urlConfirmationhttps://x.cl/curlReturnhttps://x.cl/r", FlowSignature.Canonical(parameters));
        const string expected = "6cea7bdc9f5257bd7c7101a9064ceda855049260c5b886c72b4ad57403256ccc";
        Assert.Equal(expected, FlowSignature.Sign("flowSecretKey123", parameters));
        // s itself is never part of what is signed.
        Assert.Equal(expected, FlowSignature.Sign("flowSecretKey123", new Dictionary<string, string>(parameters) { ["s"] = "anything" }));
        Assert.True(FlowSignature.IsValid("flowSecretKey123", new Dictionary<string, string>(parameters) { ["s"] = expected }));
        Assert.False(FlowSignature.IsValid("flowSecretKey123", new Dictionary<string, string>(parameters) { ["s"] = expected, ["amount"] = "5001" }));
        // The fake computes it on its own, too: both agree.
        Assert.Equal(expected, Abono.FakeGateways.FlowFake.Sign("flowSecretKey123", parameters));
    }
}
