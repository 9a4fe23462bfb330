using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing.Fuzz;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests.Fuzz;

/// <summary>
/// The gateway's actuator API and proxy path under malformed requests: never a 5xx, never a hang, every 4xx the gateway
/// itself answers a ProblemDetails, and the gateway healthy afterwards. The upstream always answers 200, so any 5xx is
/// the gateway's own.
/// </summary>
public sealed class GatewayFuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("gateway-admin", 4242, 600)]
    [InlineData("gateway-proxy", 4243, 1200)]
    public async Task MalformedRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong(string surface, int seed, int count)
    {
        await using var backend = await TestBackend.StartAsync("echo");
        backend.ForcedStatus = 200;
        var corpus = new GatewayCorpus(backend.Url);
        await using var gateway = await GatewayHost.StartAsync(corpus.Routes(), new Dictionary<string, string?> { ["Gateway:RegexTimeout"] = "00:00:00.050" });

        // An upstream answer passed through (a route with SetStatus=418) is the route's doing, not a gateway error.
        var report = await new FuzzRunner(surface, new Uri(gateway.Url))
        {
            Explains = r => FuzzExplanations.Default(r) || r.Body.StartsWith("{\"backend\":\"echo\"", StringComparison.Ordinal),
            Output = output.WriteLine,
        }
            .RunAsync(FuzzSettings.For(seed, count), surface == "gateway-admin" ? corpus.Admin : corpus.Proxy);

        foreach (var line in gateway.Logs.Lines.Where(l => l.Contains("exception", StringComparison.OrdinalIgnoreCase)).Select(l => l.Split('\n')[0]).Distinct().Take(20))
            output.WriteLine(line);
        report.AssertClean();
        Assert.Contains(report.Statuses.Keys, k => k is 200 or 201);
    }
}
