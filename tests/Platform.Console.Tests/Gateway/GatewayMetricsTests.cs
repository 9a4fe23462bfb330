using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.Console.Gateway;

namespace Platform.Console.Tests.Gateway;

/// <summary>The scraper against a loopback stand-in for the gateway's <c>/metrics</c>, serving text in the gateway's own shape.</summary>
public sealed class GatewayMetricsTests : IAsyncLifetime
{
    private WebApplication _standIn = null!;
    private volatile string _text = "";
    private volatile int _status = 200;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _standIn = builder.Build();
        _standIn.MapGet("/metrics", () => Results.Text(_text, "text/plain; version=0.0.4", statusCode: _status));
        await _standIn.StartAsync();
        _url = new Uri(new Uri(_standIn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/metrics");
    }

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    /// <summary>The gateway's two series for one route, as prometheus-net writes them (buckets abridged).</summary>
    private static string Scrape(string route, int ok, int failed, int[] buckets, double sum) => $$"""
        # HELP gateway_route_requests_total Requests served per gateway route
        # TYPE gateway_route_requests_total counter
        gateway_route_requests_total{route="{{route}}",method="GET",status="200"} {{ok}}
        gateway_route_requests_total{route="{{route}}",method="GET",status="502"} {{failed}}
        gateway_route_requests_total{route="other/route",method="GET",status="404"} 7
        # HELP gateway_route_request_duration_seconds Time from the gateway's first filter to the end of the response, per route
        # TYPE gateway_route_request_duration_seconds histogram
        gateway_route_request_duration_seconds_sum{route="{{route}}"} {{sum.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        gateway_route_request_duration_seconds_count{route="{{route}}"} {{ok + failed}}
        gateway_route_request_duration_seconds_bucket{route="{{route}}",le="0.001"} {{buckets[0]}}
        gateway_route_request_duration_seconds_bucket{route="{{route}}",le="0.002"} {{buckets[1]}}
        gateway_route_request_duration_seconds_bucket{route="{{route}}",le="0.004"} {{buckets[2]}}
        gateway_route_request_duration_seconds_bucket{route="{{route}}",le="+Inf"} {{ok + failed}}
        http_requests_received_total{code="200",method="GET",controller="",action="",endpoint=""} 12

        """;

    private (GatewayMetrics Metrics, FakeTimeProvider Time) Scraper()
    {
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new ConsoleOptions { ApiServerUrl = "http://127.0.0.1:1", GatewayMetricsUrl = _url.ToString(), GatewayScrapeSeconds = 5 });
        return (new GatewayMetrics(services.GetRequiredService<IHttpClientFactory>(), options, time, NullLogger<GatewayMetrics>.Instance), time);
    }

    [Fact]
    public async Task TwoScrapes_GiveRateErrorShareAndLatencyPercentilesOverTheWindow()
    {
        var (metrics, time) = Scraper();
        const string route = "team-a/orders \\\"v2\\\"";
        _text = Scrape(route, ok: 90, failed: 10, [50, 80, 100], 1.5);
        await metrics.ScrapeAsync(CancellationToken.None);
        var (first, _) = metrics.Snapshot();
        Assert.Equal(100, first["team-a/orders \"v2\""].Requests);
        Assert.Null(first["team-a/orders \"v2\""].RatePerSecond);

        time.Advance(TimeSpan.FromSeconds(10));
        _text = Scrape(route, ok: 170, failed: 30, [100, 170, 199], 2.5);
        await metrics.ScrapeAsync(CancellationToken.None);
        var (figures, error) = metrics.Snapshot();
        Assert.Null(error);
        var f = figures["team-a/orders \"v2\""];
        Assert.Equal(200, f.Requests);
        Assert.Equal(10, f.RatePerSecond);
        Assert.Equal(0.2, f.ErrorRatio);
        Assert.Equal(0.001, f.P50Seconds);
        Assert.Equal(0.004, f.P99Seconds);
        // A route with no request in the window has a count and no rate-derived figures beyond 0/s.
        Assert.Equal(0, figures["other/route"].RatePerSecond);
        Assert.Null(figures["other/route"].P50Seconds);
    }

    [Fact]
    public async Task AFailedScrape_IsReported_AndTheNextOneRecovers()
    {
        var (metrics, time) = Scraper();
        _status = 500;
        await metrics.ScrapeAsync(CancellationToken.None);
        Assert.Contains("the gateway's metrics cannot be read", metrics.Snapshot().Error, StringComparison.Ordinal);

        _status = 200;
        _text = Scrape("team-a/orders", ok: 1, failed: 0, [1, 1, 1], 0.0002);
        time.Advance(TimeSpan.FromSeconds(5));
        await metrics.ScrapeAsync(CancellationToken.None);
        var (figures, error) = metrics.Snapshot();
        Assert.Null(error);
        Assert.Equal(1, figures["team-a/orders"].Requests);
    }
}
