using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Resilience;

/// <summary>
/// Instances that refuse, reset, die mid-answer or hang behind an <c>lb://</c> route: the transparent connection retry,
/// the response timeout and passive health, with real Kestrel upstreams on loopback.
/// </summary>
public sealed class UpstreamFailureTests
{
    private static string Yaml(string routeId, string extra = "") => $"""
        spring:
          cloud:
            gateway:
              routes:
                - id: {routeId}
                  uri: lb://flaky-service
                  predicates: [ "Path=/flaky/**" ]
        {extra}
        """;

    private static async Task<GatewayHost> StartAsync(FakeEureka eureka, string yaml, int instances, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Gateway:Discovery:EurekaUrl"] = eureka.EurekaUrl };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var gw = await GatewayHost.StartAsync(yaml, all);
        var registry = gw.Services.GetRequiredService<IDiscoveryClient>();
        await Eventually.WaitAsync(() => registry.GetInstances("FLAKY-SERVICE").Count == instances, TimeSpan.FromSeconds(10), "registry loaded");
        return gw;
    }

    /// <summary>Keeps a failing instance in the rotation for the whole test (no ejection by passive health).</summary>
    private static readonly Dictionary<string, string?> NoEjection = new() { ["Gateway:PassiveHealth:MinimalTotalCount"] = "100000" };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<double> RetriesCountedAsync(GatewayHost gw, string routeId)
    {
        var metrics = await gw.Client.GetStringAsync("/metrics");
        return Regex.Matches(metrics, $@"^gateway_upstream_connection_retries_total\{{route=""{Regex.Escape(routeId)}"",reason=""[^""]+""\}} (\S+)$", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ConnectionRefused_EveryGetIsServedByTheLiveInstance_RetriesCountedAndLoggedOnce()
    {
        await using var live = await TestBackend.StartAsync("live");
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "live", live.Port);
        eureka.Put("FLAKY-SERVICE", "closed", ClosedPort());
        await using var gw = await StartAsync(eureka, Yaml("refused"), 2, NoEjection);

        for (var i = 0; i < 20; i++)
        {
            using var r = await gw.Client.GetAsync("/flaky/x");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("live", r.Headers.GetValues("X-Backend").Single());
        }

        // Round robin sends every other first attempt to the closed port.
        Assert.InRange(await RetriesCountedAsync(gw, "refused"), 9, 11);
        Assert.Single(gw.Logs.Lines, l => l.Contains("failed before answering", StringComparison.Ordinal) && l.Contains("closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResetBeforeHeaders_GetIsRetriedOnTheOtherInstance_PostIsNot()
    {
        await using var good = await TestBackend.StartAsync("good");
        await using var reset = await TestBackend.StartAsync("reset");
        reset.Handler = ctx =>
        {
            ctx.Abort();
            return Task.CompletedTask;
        };
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "good", good.Port);
        eureka.Put("FLAKY-SERVICE", "reset", reset.Port);
        await using var gw = await StartAsync(eureka, Yaml("reset-get"), 2, NoEjection);

        for (var i = 0; i < 10; i++)
        {
            using var r = await gw.Client.GetAsync("/flaky/x");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.InRange(reset.Hits, 4, 6);

        var posted = false;
        for (var i = 0; i < 4 && !posted; i++)
        {
            var (goodBefore, resetBefore) = (good.Hits, reset.Hits);
            using var r = await gw.Client.PostAsync("/flaky/x", new StringContent("order"));
            if (reset.Hits == resetBefore) continue;
            posted = true;
            Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
            Assert.Equal(goodBefore, good.Hits);
        }
        Assert.True(posted, "no POST reached the resetting instance");
    }

    [Fact]
    public async Task ResponseStartedThenInstanceDies_IsNotRetried()
    {
        await using var good = await TestBackend.StartAsync("good");
        await using var dying = await TestBackend.StartAsync("dying");
        var headersSeen = new TaskCompletionSource();
        dying.Handler = async ctx =>
        {
            ctx.Response.ContentLength = 1000;
            await ctx.Response.Body.WriteAsync("partial"u8.ToArray());
            await ctx.Response.Body.FlushAsync();
            // Dies only once the client holds the headers: the gateway has certainly started the response.
            await headersSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            ctx.Abort();
        };
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "good", good.Port);
        eureka.Put("FLAKY-SERVICE", "dying", dying.Port);
        await using var gw = await StartAsync(eureka, Yaml("dies-mid-answer"), 2, NoEjection);

        for (var i = 0; i < 4 && dying.Hits == 0; i++)
        {
            var goodBefore = good.Hits;
            headersSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var r = await gw.Client.GetAsync("/flaky/x", HttpCompletionOption.ResponseHeadersRead);
            headersSeen.TrySetResult();
            if (dying.Hits == 0) continue;
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => r.Content.ReadAsStringAsync());
            Assert.Equal(goodBefore, good.Hits);
        }
        Assert.Equal(1, dying.Hits);
        await Eventually.WaitAsync(() => gw.Logs.Lines.Any(l => l.Contains("upstream instance dying", StringComparison.Ordinal)
            && l.Contains("failed (ResponseBodyDestination", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the failure logged");
    }

    /// <summary>
    /// A killed process's half-written answer: headers cut off part-way, or whole with no body byte yet, then the
    /// connection closed (FIN) or reset (RST), as the kernel does to a SIGKILLed container's sockets. Nothing reached
    /// the client yet, so a GET goes to the other instance (the whole-headers cases were answered 502 before).
    /// </summary>
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false)]
    public async Task InstanceDiesWhileAnswering_BeforeTheClientSawAByte_GetIsServedByTheOther(string written, bool reset)
    {
        await using var good = await TestBackend.StartAsync("good");
        using var dying = new TcpListener(IPAddress.Loopback, 0);
        dying.Start();
        var hits = 0;
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await dying.AcceptSocketAsync();
                var buffer = new byte[8192];
                var seen = "";
                while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(buffer) is > 0 and var n)
                    seen += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
                Interlocked.Increment(ref hits);
                await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(written));
                if (reset) socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        });
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "good", good.Port);
        eureka.Put("FLAKY-SERVICE", "dying", ((IPEndPoint)dying.LocalEndpoint).Port);
        await using var gw = await StartAsync(eureka, Yaml("dies-in-headers"), 2, NoEjection);

        for (var i = 0; i < 10; i++)
        {
            using var r = await gw.Client.GetAsync("/flaky/x");
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{r.StatusCode}; the gateway logged: {string.Join(" | ", gw.Logs.Lines.Where(l => l.Contains("upstream", StringComparison.Ordinal)))}");
            Assert.Equal("good", r.Headers.GetValues("X-Backend").Single());
        }
        Assert.InRange(Volatile.Read(ref hits), 4, 6);
        dying.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => serving);
    }

    [Fact]
    public async Task HangingInstance_AnswersGatewayTimeout_ThenPassiveHealthEjectsIt()
    {
        await using var healthy = await TestBackend.StartAsync("healthy");
        await using var hanging = await TestBackend.StartAsync("hanging");
        hanging.Handler = async ctx =>
        {
            try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); }
            catch (OperationCanceledException) { }
        };
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "healthy", healthy.Port);
        eureka.Put("FLAKY-SERVICE", "hanging", hanging.Port);
        await using var gw = await StartAsync(eureka, Yaml("hangs"), 2, new()
        {
            ["Gateway:HttpClient:ResponseTimeout"] = "00:00:00.300",
            ["Gateway:PassiveHealth:ReactivationPeriod"] = "00:02:00",
        });

        async Task<(HttpStatusCode Status, string Body)> GetAsync()
        {
            // Without a response timeout the hanging instance would hold the request for YARP's 100 s.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var r = await gw.Client.GetAsync("/flaky/x", cts.Token);
            return (r.StatusCode, await r.Content.ReadAsStringAsync(cts.Token));
        }

        var timeouts = new List<string>();
        var clean = 0;
        for (var i = 0; i < 40 && clean < 20; i++)
        {
            var (status, body) = await GetAsync();
            if (status == HttpStatusCode.OK) clean++;
            else
            {
                Assert.Equal(HttpStatusCode.GatewayTimeout, status);
                timeouts.Add(body);
                clean = 0;
            }
        }
        Assert.Equal(20, clean);
        Assert.NotEmpty(timeouts);
        Assert.Contains("Response took longer than timeout: PT0.3S", timeouts[0], StringComparison.Ordinal);

        var hangingHits = hanging.Hits;
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync()).Status);
        Assert.Equal(hangingHits, hanging.Hits);
    }

    [Fact]
    public async Task RouteWithRetry_ConnectionFailures_AttemptsFollowItsPolicyOnly()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        foreach (var backend in new[] { a, b, c })
        {
            backend.Handler = ctx =>
            {
                ctx.Abort();
                return Task.CompletedTask;
            };
        }
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("FLAKY-SERVICE", "a", a.Port);
        eureka.Put("FLAKY-SERVICE", "b", b.Port);
        eureka.Put("FLAKY-SERVICE", "c", c.Port);
        await using var gw = await StartAsync(eureka, Yaml("own-retry", """
                      filters:
                        - name: Retry
                          args:
                            retries: 1
                            methods: GET
            """), 3, NoEjection);

        using var r = await gw.Client.GetAsync("/flaky/x");

        Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
        // Retry's one retry, and no transparent retries under or around it.
        Assert.Equal(2, a.Hits + b.Hits + c.Hits);
        Assert.Equal(0, await RetriesCountedAsync(gw, "own-retry"));
    }

    [Fact]
    public async Task RoutesFileResponseTimeout_AppliesToEveryRoute_MinusOneInMetadataTurnsItOff()
    {
        await using var slow = await TestBackend.StartAsync("slow");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  httpclient:
                    connect-timeout: 1000
                    response-timeout: 200ms
                  routes:
                    - id: bounded
                      uri: {{slow.Url}}
                      predicates: [ "Path=/bounded/**" ]
                    - id: patient
                      uri: {{slow.Url}}
                      predicates: [ "Path=/patient/**" ]
                      metadata:
                        response-timeout: -1
            """);

        using var timedOut = await gw.Client.GetAsync("/bounded/x?delayMs=2000");
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Contains("Response took longer than timeout: PT0.2S", await timedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var waited = await gw.Client.GetAsync("/patient/x?delayMs=500");
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
    }

    [Fact]
    public async Task ResponseTimeout_CountsFromTheRequestSent_SlowUploadIsNotCutShort()
    {
        await using var backend = await TestBackend.StartAsync("upload");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: upload
                      uri: {{backend.Url}}
                      predicates: [ "Path=/upload/**" ]
                      metadata:
                        response-timeout: 1500
            """);

        // 2.4 s of upload in all, under 1.5 s between two reads.
        using var r = await gw.Client.PostAsync("/upload/x", new SlowContent(chunks: 4, pause: TimeSpan.FromMilliseconds(600)));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(new string('x', 4), (await EchoResponse.ReadAsync(r)).Body);
    }

    /// <summary>A request body sent a byte at a time with pauses, longer in total than the response timeout.</summary>
    private sealed class SlowContent(int chunks, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < chunks; i++)
            {
                await stream.WriteAsync("x"u8.ToArray());
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
