using Microsoft.Extensions.Options;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Configuration;

public sealed class GatewayOptionsValidationTests
{
    [Fact]
    public async Task Start_InvalidHttpClientOptions_FailsNamingEveryKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync("spring: {}", new Dictionary<string, string?>
        {
            ["Gateway:HttpClient:ConnectTimeout"] = "00:00:00",
            ["Gateway:HttpClient:ResponseTimeout"] = "-00:00:01",
            ["Gateway:HttpClient:ConnectionRetries"] = "-1",
            ["Gateway:HttpClient:RetryMethods:0"] = "GET",
            ["Gateway:HttpClient:RetryMethods:1"] = "POST",
        }));

        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:HttpClient:ConnectTimeout:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:HttpClient:ResponseTimeout:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:HttpClient:ConnectionRetries:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Gateway:HttpClient:RetryMethods: 'POST' is not idempotent", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("'GET'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_IdempotentRetryMethodsAndDisabledTimeout_AreAccepted()
    {
        await using var gw = await GatewayHost.StartAsync("spring: {}", new Dictionary<string, string?>
        {
            ["Gateway:HttpClient:ResponseTimeout"] = "00:00:00",
            ["Gateway:HttpClient:ConnectionRetries"] = "0",
            ["Gateway:HttpClient:RetryMethods:0"] = "PUT",
            ["Gateway:HttpClient:RetryMethods:1"] = "delete",
        });

        Assert.NotNull(gw.Url);
    }
}
