using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing.Fuzz;
using Xunit.Abstractions;

namespace Platform.Discovery.Tests.Fuzz;

/// <summary>
/// The Eureka REST API and the dashboard under malformed JSON and XML: never a 5xx, never a hang, every 4xx a
/// ProblemDetails (or, for a stale heartbeat, Eureka's own 409 carrying the newer instance), and the server keeps serving.
/// </summary>
public sealed class DiscoveryFuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("discovery-json", false, 4242)]
    [InlineData("discovery-xml", true, 4243)]
    public async Task MalformedEurekaRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong(string surface, bool xml, int seed)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using (var client = server.Client())
        {
            foreach (var (app, id) in EurekaCorpus.Registered) await Eureka.RegisterAsync(client, app, id);
        }

        var report = await new FuzzRunner(surface, server.BaseUrl)
        {
            Explains = r => FuzzExplanations.Default(r) || r.Status == 409 && r.Body.Contains("instance", StringComparison.Ordinal),
            Output = output.WriteLine,
        }.RunAsync(FuzzSettings.For(seed, count: 800), new EurekaCorpus(xml).Next);

        report.AssertClean();
        Assert.Contains(report.Statuses.Keys, k => k is 200 or 204);
    }
}
