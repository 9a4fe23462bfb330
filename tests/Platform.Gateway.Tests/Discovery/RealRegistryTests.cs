using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Discovery;

/// <summary>The gateway against the real discovery server and the seed's sample services, registered by their Eureka client.</summary>
[Collection(KafkaCollection.Name)]
public sealed class RealRegistryTests(KafkaFixture kafka)
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public async Task Seed004LoadBalancerYaml_RoutesToRegisteredSamples_RoundRobin_DeregisteredGoneWithinASecond()
    {
        var registryTopic = kafka.CreateTopic("registry");
        await using var registry = await RegistryStack.StartAsync(kafka.BootstrapServers, registryTopic);
        var (_, firstA) = await registry.StartSampleAsync("my-first-service");
        var (firstB, firstBPort) = await registry.StartSampleAsync("my-first-service");
        var (_, secondPort) = await registry.StartSampleAsync("my-second-service");
        await using var gw = await GatewayHost.StartAsync(Fixture("seed004-loadbalancer.yml"), new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = registry.EurekaUrl,
            ["Gateway:RegistryTopic"] = registryTopic,
            ["Gateway:RoutesTopic"] = kafka.CreateTopic("routes"),
        });

        async Task<string> CheckAsync(string path)
        {
            using var r = await gw.Client.GetAsync(path);
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : $"status {(int)r.StatusCode}";
        }
        await Eventually.WaitAsync(async () =>
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < 4; i++) seen.Add(await CheckAsync("/first-service/check"));
            return seen.SetEquals([$"HI Port {firstA}", $"HI Port {firstBPort}"]);
        }, TimeSpan.FromSeconds(30), "both my-first-service instances behind lb://my-first-service");

        var answers = new List<string>();
        for (var i = 0; i < 6; i++) answers.Add(await CheckAsync("/first-service/check"));
        Assert.All(answers.Zip(answers.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
        // Registrations reach the gateway independently: my-second-service's may land after both of the first's.
        await Eventually.WaitAsync(async () => await CheckAsync("/second-service/check") == $"HI Port {secondPort}",
            TimeSpan.FromSeconds(30), "my-second-service behind lb://my-second-service");

        // The seed's default GlobalFilter wraps the CustomFilter of each route. Post filters may log after the client
        // has its answer, so the last request's lines are awaited, not read at once.
        var filterLines = await Eventually.WaitAsync(() =>
        {
            var lines = gw.Logs.Lines.Where(l => l.Contains("filter", StringComparison.OrdinalIgnoreCase)).TakeLast(5).ToList();
            return Task.FromResult(lines.Count == 5 && lines[4].StartsWith("Global Filter end", StringComparison.Ordinal) ? lines : null);
        }, TimeSpan.FromSeconds(5), "the last request's filter log lines");
        Assert.StartsWith("Global Filter baseMessage : request id -> Spring Cloud Gateway Filter", filterLines[0], StringComparison.Ordinal);
        Assert.StartsWith("Custom PRE filter", filterLines[2], StringComparison.Ordinal);
        Assert.StartsWith("Custom POST filter : response code -> 200", filterLines[3], StringComparison.Ordinal);
        Assert.StartsWith("Global Filter end: response code -> 200", filterLines[4], StringComparison.Ordinal);

        // A graceful stop deregisters (DELETE on the registry) → platform.registry 'cancelled' → gateway.
        await firstB.StopAsync(TimeSpan.FromSeconds(5));
        var stopped = Stopwatch.StartNew();
        var lastB = TimeSpan.Zero;
        var clean = 0;
        while (clean < 30 && stopped.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await CheckAsync("/first-service/check") == $"HI Port {firstA}") clean++;
            else { lastB = stopped.Elapsed; clean = 0; }
        }
        Assert.Equal(30, clean);
        Assert.True(lastB < TimeSpan.FromSeconds(1), $"the stopped instance was still routed to {lastB.TotalMilliseconds:0} ms after it deregistered");
    }
}
