using System.Net;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Configuration;

/// <summary>The seed's gateway YAML, pasted unchanged into Fixtures/, served through real Kestrel upstreams.</summary>
public sealed class Seed004Tests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public async Task HeadersYaml_AddsSeedRequestAndResponseHeaders_PerRoute()
    {
        await using var first = await TestBackend.StartAsync("first");
        await using var second = await TestBackend.StartAsync("second");
        // The seed points at localhost:8081/8082; only the ports are swapped for the test's free ones.
        var yaml = Fixture("seed004-headers.yml").Replace("localhost:8081", $"127.0.0.1:{first.Port}", StringComparison.Ordinal)
            .Replace("localhost:8082", $"127.0.0.1:{second.Port}", StringComparison.Ordinal);
        await using var gw = await GatewayHost.StartAsync(yaml);

        using var r1 = await gw.Client.GetAsync("/first-service/message");
        var e1 = await EchoResponse.ReadAsync(r1);
        Assert.Equal("first", e1.Backend);
        Assert.Equal("/first-service/message", e1.Path);
        Assert.Equal("first-request-header2", e1.Header("first-request"));
        Assert.Equal("first-response-header2", r1.Headers.GetValues("first-response").Single());

        using var r2 = await gw.Client.GetAsync("/second-service/message");
        var e2 = await EchoResponse.ReadAsync(r2);
        Assert.Equal("second", e2.Backend);
        Assert.Equal("second-request-header2", e2.Header("second-request"));
        Assert.Null(e2.Header("first-request"));
        Assert.Equal("second-response-header2", r2.Headers.GetValues("second-response").Single());

        using var none = await gw.Client.GetAsync("/third-service/message");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("no gateway route matches GET /third-service/message", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalFilterYaml_GlobalWrapsCustomFilter_InSeedOrder()
    {
        await using var first = await TestBackend.StartAsync("first");
        await using var second = await TestBackend.StartAsync("second");
        var yaml = Fixture("seed004-globalfilter.yml").Replace("localhost:8081", $"127.0.0.1:{first.Port}", StringComparison.Ordinal)
            .Replace("localhost:8082", $"127.0.0.1:{second.Port}", StringComparison.Ordinal);
        await using var gw = await GatewayHost.StartAsync(yaml);

        using var r = await gw.Client.GetAsync("/second-service/check");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("second", (await EchoResponse.ReadAsync(r)).Backend);

        var lines = gw.Logs.Lines.Where(l => l.Contains("filter", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(
        [
            "Global Filter baseMessage : request id -> Spring Cloud Gateway Filter",
            "Global Filter Start: request id -> ",
            "Custom PRE filter : request id -> ",
            "Custom POST filter : response code -> 200",
            "Global Filter end: response code -> 200",
        ], lines.Select(l => l.Contains("request id -> ", StringComparison.Ordinal) && !l.Contains("baseMessage", StringComparison.Ordinal)
            ? l[..(l.IndexOf("-> ", StringComparison.Ordinal) + 3)] : l));
    }
}
