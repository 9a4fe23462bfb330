using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Configuration;

public sealed class RouteReloadTests
{
    private static string Yaml(string uri, string path, string extraFilter = "AddRequestHeader=X-Version, 1") => $"""
        spring:
          cloud:
            gateway:
              routes:
                - id: svc
                  uri: {uri}
                  predicates: [ "Path={path}" ]
                  filters: [ '{extraFilter}' ]
        """;

    [Fact]
    public async Task RoutesFile_ChangedOnDisk_ServesNewRoutesWithoutRestart()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync(Yaml(backend.Url, "/old/**"));
        Assert.Equal(HttpStatusCode.OK, (await gw.Client.GetAsync("/old/x")).StatusCode);

        await File.WriteAllTextAsync(gw.RoutesFile, Yaml(backend.Url, "/new/**"));

        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/new/x")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the new route from the edited file");
        Assert.Equal(HttpStatusCode.NotFound, (await gw.Client.GetAsync("/old/x")).StatusCode);
    }

    [Fact]
    public async Task RoutesFile_BadRoute_IsRejectedNamingRouteAndArgument_PreviousKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync(Yaml(backend.Url, "/svc/**"));

        await File.WriteAllTextAsync(gw.RoutesFile, Yaml(backend.Url, "/svc/**", "RewritePath=/svc/(?<unclosed, /x"));

        var line = await Eventually.WaitAsync(() => Task.FromResult(gw.Logs.Lines.FirstOrDefault(l => l.Contains("rejected", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(15), "the rejection log line");
        Assert.Contains("route 'svc': filter RewritePath argument 'regexp'", line, StringComparison.Ordinal);
        var echo = await EchoResponse.ReadAsync(await gw.Client.GetAsync("/svc/x"));
        Assert.Equal("1", echo.Header("X-Version"));
    }

    [Fact]
    public async Task Start_WithBadRoute_FailsNamingRouteAndArgument()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(Yaml("http://127.0.0.1:1", "/svc/**", "StripPrefix=two")));
        Assert.Contains("route 'svc': filter StripPrefix argument 'parts': 'two' is not an integer", ex.Message, StringComparison.Ordinal);
    }
}
