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

    [Fact]
    public async Task RoutesFile_DeeplyNestedOrAliasBomb_IsRejectedNamingTheLimit_PreviousKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync(Yaml(backend.Url, "/svc/**"));

        // 50,000 nested flow sequences: parsed into a tree, this overflowed the stack on reload.
        await File.WriteAllTextAsync(gw.RoutesFile, Yaml(backend.Url, "/svc/**") + "\nextra: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        var line = await Eventually.WaitAsync(() => Task.FromResult(gw.Logs.Lines.FirstOrDefault(l => l.Contains("rejected", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(15), "the rejection log line");
        Assert.Contains("nested deeper than 64 levels (Gateway:RoutesFileLimits:MaxDepth)", line, StringComparison.Ordinal);

        var bomb = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]"));
        await File.WriteAllTextAsync(gw.RoutesFile, Yaml(backend.Url, "/svc/**") + "\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + bomb + "\n");
        await Eventually.WaitAsync(() => Task.FromResult(gw.Logs.Lines.Any(l => l.Contains("(Gateway:RoutesFileLimits:MaxNodes)", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(15), "the alias bomb rejected");

        var echo = await EchoResponse.ReadAsync(await gw.Client.GetAsync("/svc/x"));
        Assert.Equal("1", echo.Header("X-Version"));
    }

    [Fact]
    public async Task Start_WithOversizedRoutesFile_FailsNamingTheLimit()
    {
        var yaml = Yaml("http://127.0.0.1:1", "/svc/**") + "\n# " + new string('x', 4096) + "\n";
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(yaml,
            new Dictionary<string, string?> { ["Gateway:RoutesFileLimits:MaxBytes"] = "2048" }));
        Assert.Contains("(Gateway:RoutesFileLimits:MaxBytes)", ex.Message, StringComparison.Ordinal);
    }
}
