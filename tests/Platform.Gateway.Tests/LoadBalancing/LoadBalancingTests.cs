using System.Diagnostics;
using System.Net;
using Platform.Contracts.Registry;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.LoadBalancing;

/// <summary><c>lb://</c> routes fed by a Eureka registry over HTTP and by <c>platform.registry</c> events over Kafka.</summary>
[Collection(KafkaCollection.Name)]
public sealed class LoadBalancingTests(KafkaFixture kafka)
{
    private static string Yaml(string metadata = "") => $"""
        spring:
          cloud:
            gateway:
              routes:
                - id: first-service
                  uri: lb://my-first-service
                  predicates: [ "Path=/first-service/**" ]
        {metadata}
        """;

    private async Task<GatewayHost> StartAsync(FakeEureka eureka, string registryTopic, string? yaml = null) =>
        await GatewayHost.StartAsync(yaml ?? Yaml(), new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = eureka.EurekaUrl,
            ["Gateway:RegistryTopic"] = registryTopic,
            ["Gateway:RoutesTopic"] = kafka.CreateTopic("routes"),
        });

    private static async Task<string> BackendOfAsync(GatewayHost gw)
    {
        using var r = await gw.Client.GetAsync("/first-service/check");
        return r.StatusCode == HttpStatusCode.OK ? r.Headers.GetValues("X-Backend").Single() : $"status {(int)r.StatusCode}";
    }

    [Fact]
    public async Task SeveralEurekaServers_TheRegistryComesFromOneThatAnswers_WhenTheFirstIsDown()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port);
        // The first server refuses connections (up --ha's discovery-1 killed): the client moves on to the second.
        var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        var deadUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)dead.LocalEndpoint).Port}/eureka";
        dead.Stop();
        await using var gw = await GatewayHost.StartAsync(Yaml(), new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = $"{deadUrl}, {eureka.EurekaUrl}",
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:RoutesTopic"] = kafka.CreateTopic("routes"),
        });
        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) == "a", TimeSpan.FromSeconds(15), "registry loaded from the second server");

        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayHost.StartAsync("spring: {}",
            new Dictionary<string, string?> { ["Gateway:Discovery:EurekaUrl"] = $"{eureka.EurekaUrl},ftp://user:hunter2@nowhere/eureka" }));
        // The bad entry is named without its password: startup errors are logged.
        Assert.Contains(ex.Failures, f => f == "Gateway:Discovery:EurekaUrl: 'ftp://nowhere/eureka' is not an absolute http(s) URL");
        Assert.DoesNotContain(ex.Failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RoundRobin_AlternatesBetweenUpInstances_SkipsDown()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var down = await TestBackend.StartAsync("down");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port);
        eureka.Put("MY-FIRST-SERVICE", "b", b.Port);
        eureka.Put("MY-FIRST-SERVICE", "down", down.Port, status: "DOWN");
        await using var gw = await StartAsync(eureka, kafka.CreateTopic("registry"));

        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) is "a" or "b", TimeSpan.FromSeconds(10), "registry loaded");
        var seen = new List<string>();
        for (var i = 0; i < 10; i++) seen.Add(await BackendOfAsync(gw));

        Assert.Equal(5, seen.Count(s => s == "a"));
        Assert.Equal(5, seen.Count(s => s == "b"));
        Assert.All(seen.Zip(seen.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
        Assert.Equal(0, down.Hits);
    }

    [Fact]
    public async Task RegistryEvents_NewInstanceServes_DeregisteredStopsWithinASecond()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port);
        eureka.Put("MY-FIRST-SERVICE", "b", b.Port);
        var topic = kafka.CreateTopic("registry");
        await using var gw = await StartAsync(eureka, topic);
        using var events = new EventProducer(kafka.BootstrapServers);

        // A registration that only Kafka knows about: proves the consumer is live before the timed part.
        await events.RegistryAsync(topic, RegistryEvent.Actions.Registered, "MY-FIRST-SERVICE", "c", c.Port);
        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) == "c", TimeSpan.FromSeconds(20), "instance c from a registry event");

        await events.RegistryAsync(topic, RegistryEvent.Actions.Cancelled, "MY-FIRST-SERVICE", "b", b.Port);
        var cancelled = Stopwatch.StartNew();
        var lastB = TimeSpan.Zero;
        var clean = 0;
        while (clean < 30 && cancelled.Elapsed < TimeSpan.FromSeconds(5))
        {
            var backend = await BackendOfAsync(gw);
            if (backend == "b") { lastB = cancelled.Elapsed; clean = 0; }
            else clean++;
        }
        Assert.Equal(30, clean);
        Assert.True(lastB < TimeSpan.FromSeconds(1), $"b still served {lastB.TotalMilliseconds:0} ms after its cancel event");
    }

    [Fact]
    public async Task KilledInstance_IsEjectedByPassiveHealth_WithinASecond()
    {
        await using var a = await TestBackend.StartAsync("a");
        var b = await TestBackend.StartAsync("b");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port);
        eureka.Put("MY-FIRST-SERVICE", "b", b.Port);
        await using var gw = await StartAsync(eureka, kafka.CreateTopic("registry"));
        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) is "a" or "b", TimeSpan.FromSeconds(10), "registry loaded");
        for (var i = 0; i < 6; i++) await BackendOfAsync(gw);

        await b.DisposeAsync();
        var killed = Stopwatch.StartNew();
        var lastFailure = TimeSpan.Zero;
        var clean = 0;
        while (clean < 30 && killed.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (await BackendOfAsync(gw) == "a") clean++;
            else { lastFailure = killed.Elapsed; clean = 0; }
        }
        Assert.Equal(30, clean);
        Assert.True(lastFailure < TimeSpan.FromSeconds(1), $"the dead instance was still tried {lastFailure.TotalMilliseconds:0} ms after it died");
    }

    [Fact]
    public async Task WeightedPolicy_FollowsInstanceWeightMetadata()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port, metadata: new() { ["weight"] = "3" });
        eureka.Put("MY-FIRST-SERVICE", "b", b.Port, metadata: new() { ["weight"] = "1" });
        await using var gw = await StartAsync(eureka, kafka.CreateTopic("registry"), Yaml("          metadata:\n            loadbalancer: Weighted"));
        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) is "a" or "b", TimeSpan.FromSeconds(10), "registry loaded");

        var counts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        for (var i = 0; i < 400; i++) counts[await BackendOfAsync(gw)]++;
        // 3:1 over 400: ~300/100; the bounds are ~6 standard deviations wide.
        Assert.InRange(counts["a"], 250, 350);
    }

    [Fact]
    public async Task PowerOfTwoChoices_ServesFromBothInstances()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("MY-FIRST-SERVICE", "a", a.Port);
        eureka.Put("MY-FIRST-SERVICE", "b", b.Port);
        await using var gw = await StartAsync(eureka, kafka.CreateTopic("registry"), Yaml("          metadata:\n            loadbalancer: power-of-two-choices"));
        await Eventually.WaitAsync(async () => await BackendOfAsync(gw) is "a" or "b", TimeSpan.FromSeconds(10), "registry loaded");
        var seen = new HashSet<string>();
        for (var i = 0; i < 50; i++) seen.Add(await BackendOfAsync(gw));
        Assert.Equal(["a", "b"], seen.Order());
    }
}
