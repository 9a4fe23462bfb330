using Microsoft.Extensions.Options;
using Platform.Gateway.GatewayApi;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed class GatewayApiOptionsTests
{
    [Fact]
    public void ListenerPorts_BadEntries_FailValidationNamingTheKeyAndEachEntry()
    {
        var result = new GatewayApiOptionsValidator().Validate(null, new GatewayApiOptions { ListenerPorts = "80=eighty, 443, 0=8080, 9090=70000, 80=8081, 8443=8443" });

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "Gateway:GatewayApi:ListenerPorts: '80=eighty': local port 'eighty' is not a port (1-65535)",
            "Gateway:GatewayApi:ListenerPorts: '443' is not listenerPort=localPort (e.g. 80=8080,443=8443)",
            "Gateway:GatewayApi:ListenerPorts: '0=8080': listener port '0' is not a port (1-65535)",
            "Gateway:GatewayApi:ListenerPorts: '9090=70000': local port '70000' is not a port (1-65535)",
        ], result.Failures!.Take(4));
        // 80 was refused above, so 80=8081 is its first valid mapping; 8443=8443 is fine.
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void ListenerPorts_AListenerPortMappedTwice_FailsValidation()
    {
        var result = new GatewayApiOptionsValidator().Validate(null, new GatewayApiOptions { ListenerPorts = "80=8080,443=8443,80=9090" });

        Assert.Equal(["Gateway:GatewayApi:ListenerPorts: '80=9090': listener port 80 is mapped twice"], result.Failures);
    }

    [Theory]
    [InlineData("80=8080,443=8443")]
    [InlineData(" 80 = 8080 , 9000=9001 ")]
    [InlineData("")]
    public void ListenerPorts_WellFormed_PassValidation(string value) =>
        Assert.True(new GatewayApiOptionsValidator().Validate(null, new GatewayApiOptions { ListenerPorts = value }).Succeeded);

    [Fact]
    public async Task Start_BadListenerPorts_FailsNamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync("spring: {}", new Dictionary<string, string?>
        {
            ["Gateway:GatewayApi:ListenerPorts"] = "80:8080",
        }));

        Assert.Equal(["Gateway:GatewayApi:ListenerPorts: '80:8080' is not listenerPort=localPort (e.g. 80=8080,443=8443)"], ex.Failures);
    }
}
