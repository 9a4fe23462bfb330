using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.RateLimiting;
using Platform.Gateway.RateLimiting.Fleet;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.RateLimiting;

/// <summary>Two gateway replicas registered under one application share each key's bucket (Gateway:RateLimiter:Fleet).</summary>
public sealed class FleetRateLimiterTests
{
    private const int Rate = 10, Burst = 20;

    [Fact]
    public async Task TwoReplicas_DrivenTogether_LetThroughTheConfiguredRateInTotal()
    {
        await using var fleet = await Fleet.StartAsync();
        var (total, perReplica, elapsed) = await DriveAsync([fleet.A, fleet.B], TimeSpan.FromSeconds(3));

        var ceiling = Burst + Rate * elapsed.TotalSeconds;
        // Per-replica buckets would let through about twice the ceiling: each replica its own burst and rate.
        Assert.True(total <= ceiling + 1, $"{total} requests let through in {elapsed.TotalSeconds:F2} s; the fleet's limit allows {ceiling:F1}");
        // Not refusing everything: more than one replica's share, and each replica served some.
        Assert.True(total > ceiling / 2 + 1, $"only {total} requests let through in {elapsed.TotalSeconds:F2} s (limit {ceiling:F1})");
        Assert.All(perReplica, n => Assert.True(n > 0, $"a replica served none: {string.Join(", ", perReplica)}"));
        Assert.Equal(total, fleet.Backend.Hits);
        Assert.DoesNotContain(fleet.A.Logs.Lines.Concat(fleet.B.Logs.Lines), l => l.Contains("did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemainingHeader_CountsTheFleetsBucket_WhicheverReplicaAnswers()
    {
        await using var fleet = await Fleet.StartAsync();
        var clock = Stopwatch.StartNew();
        var remaining = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            using var r = await CallAsync(i % 2 == 0 ? fleet.A : fleet.B, "alice");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(Burst.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Headers.GetValues("X-RateLimit-Burst-Capacity").Single());
            remaining.Add(long.Parse(r.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture));
        }
        // k + 1 tokens taken from one bucket of 20, plus what refilled meanwhile (10/s).
        var refill = (long)Math.Ceiling(clock.Elapsed.TotalSeconds * Rate);
        for (var k = 0; k < remaining.Count; k++)
        {
            Assert.InRange(remaining[k], Burst - (k + 1), Burst - (k + 1) + refill);
        }
    }

    [Fact]
    public async Task OwnerUnreachable_TheOtherReplicaServesItsShareLocally()
    {
        await using var fleet = await Fleet.StartAsync(listedByTest: true);
        var view = fleet.A.Services.GetRequiredService<FleetMembership>().Current;
        var owner = view.OwnerOf(FleetBuckets.Identity(new BucketKey(null, "limited", $"{Rate}/{Burst}", "shared-client")));
        var (survivor, dead) = owner == view.Self ? (fleet.B, fleet.A) : (fleet.A, fleet.B);
        await fleet.StopAsync(dead);

        var (total, _, elapsed) = await DriveAsync([survivor], TimeSpan.FromSeconds(2));

        // Two members: the survivor holds half the burst and half the rate while the owner is away.
        var share = Burst / 2.0 + Rate / 2.0 * elapsed.TotalSeconds;
        Assert.True(total <= share + 1, $"{total} let through in {elapsed.TotalSeconds:F2} s; the survivor's share is {share:F1}");
        Assert.True(total >= Burst / 2, $"only {total} let through: the survivor's share was not served");
        Assert.Contains(survivor.Logs.Lines, l => l.Contains("did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplicaLeaving_Deregisters_AndTheOtherOwnsEveryKey()
    {
        await using var fleet = await Fleet.StartAsync();
        await fleet.StopAsync(fleet.B);
        var membership = fleet.A.Services.GetRequiredService<FleetMembership>();
        await Eventually.WaitAsync(() => membership.Current.Members.Count == 1, TimeSpan.FromSeconds(15), "the stopped replica leaves the fleet");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst + 5; i++)
        {
            using var r = await CallAsync(fleet.A, $"client-{i % 3}");
            statuses.Add(r.StatusCode);
        }
        // Three keys, each within its whole burst at the one member left: nothing refused, nothing asked of the gone replica.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.DoesNotContain(fleet.A.Logs.Lines, l => l.Contains("did not answer", StringComparison.Ordinal));
    }

    /// <summary>The route <c>limited</c> (<c>/limited/**</c>) with a RequestRateLimiter counted per <c>X-Client</c>.</summary>
    internal static string LimitedRoute(string backendUrl, int rate, int burst) => $$"""
        spring:
          cloud:
            gateway:
              routes:
                - id: limited
                  uri: {{backendUrl}}
                  predicates: [ "Path=/limited/**" ]
                  filters:
                    - name: RequestRateLimiter
                      args:
                        redis-rate-limiter.replenishRate: {{rate}}
                        redis-rate-limiter.burstCapacity: {{burst}}
                        key-resolver: "header:X-Client"
        """;

    private static async Task<HttpResponseMessage> CallAsync(GatewayHost gw, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/limited/x");
        request.Headers.Add("X-Client", client);
        return await gw.Client.SendAsync(request);
    }

    /// <summary>Two callers per replica, all on one key, for <paramref name="duration"/>; counts the 200s.</summary>
    private static async Task<(int Total, int[] PerReplica, TimeSpan Elapsed)> DriveAsync(GatewayHost[] replicas, TimeSpan duration)
    {
        var ok = new int[replicas.Length];
        var clock = Stopwatch.StartNew();
        var callers = replicas.SelectMany((gw, index) => Enumerable.Range(0, 2).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var r = await CallAsync(gw, "shared-client");
                if (r.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref ok[index]);
                else Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
                await Task.Delay(10);
            }
        }));
        await Task.WhenAll(callers);
        var elapsed = clock.Elapsed;
        return (ok.Sum(), ok, elapsed);
    }

    /// <summary>
    /// Two gateways of one fleet, each with the limited route, that see each other before a test drives them: registered
    /// by themselves in the real discovery server, or (<paramref name="listedByTest"/>) put by the test into a fake
    /// registry, where a stopped replica stays listed.
    /// </summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly IAsyncDisposable _registry;
        private readonly HashSet<GatewayHost> _stopped = [];

        private Fleet(IAsyncDisposable registry, TestBackend backend, GatewayHost a, GatewayHost b) => (_registry, Backend, A, B) = (registry, backend, a, b);

        public TestBackend Backend { get; }
        public GatewayHost A { get; }
        public GatewayHost B { get; }

        public static async Task<Fleet> StartAsync(bool listedByTest = false)
        {
            var fake = listedByTest ? await FakeEureka.StartAsync() : null;
            var real = listedByTest ? null : await RegistryStack.StartAsync(null, "unused");
            var backend = await TestBackend.StartAsync();
            var settings = new Dictionary<string, string?>
            {
                ["Gateway:Discovery:EurekaUrl"] = fake?.EurekaUrl ?? real!.EurekaUrl,
                ["Gateway:Discovery:PollInterval"] = "00:00:00.200",
                ["Gateway:Discovery:Register"] = listedByTest ? "false" : null,
                ["eureka:instance:leaseRenewalIntervalInSeconds"] = "1",
                ["eureka:instance:leaseExpirationDurationInSeconds"] = "5",
                ["Gateway:RateLimiter:Fleet:App"] = "GATEWAY",
                ["Gateway:RateLimiter:Fleet:PeerTimeout"] = "00:00:05",
                ["Gateway:RateLimiter:Fleet:PeerDownFor"] = "00:01:00",
            };
            var yaml = LimitedRoute(backend.Url, Rate, Burst);
            var a = await GatewayHost.StartAsync(yaml, settings);
            var b = await GatewayHost.StartAsync(yaml, settings);
            fake?.Put("GATEWAY", "gateway-a", new Uri(a.Url).Port);
            fake?.Put("GATEWAY", "gateway-b", new Uri(b.Url).Port);
            foreach (var gw in new[] { a, b })
            {
                var membership = gw.Services.GetRequiredService<FleetMembership>();
                await Eventually.WaitAsync(() => membership.Current.Members.Count == 2, TimeSpan.FromSeconds(15), "both replicas in the fleet");
            }
            return new Fleet(fake ?? (IAsyncDisposable)real!, backend, a, b);
        }

        public async Task StopAsync(GatewayHost gw)
        {
            if (_stopped.Add(gw)) await gw.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var gw in new[] { A, B }) await StopAsync(gw);
            await Backend.DisposeAsync();
            await _registry.DisposeAsync();
        }
    }
}
