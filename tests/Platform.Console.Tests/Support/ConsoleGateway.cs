using Microsoft.AspNetCore.Builder;
using Platform.Contracts.Resources;
using Platform.Gateway;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Support;

/// <summary>
/// The real gateway for the console's tests: it lists the apiserver's Route resources and follows them on Kafka, serves
/// them on a loopback port, and counts each route's requests on its <c>/metrics</c>, which the console scrapes.
/// </summary>
public sealed class ConsoleGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _dir;

    private ConsoleGateway(WebApplication app, DirectoryInfo dir)
    {
        _app = app;
        _dir = dir;
        Address = LoopbackHost.AddressOf(app);
    }

    public Uri Address { get; }
    public Uri MetricsUrl => new(Address, "/metrics");

    public static async Task<ConsoleGateway> StartAsync(ApiServerHost api, KafkaFixture kafka)
    {
        var dir = Directory.CreateTempSubdirectory("console-gateway-");
        var routesFile = Path.Combine(dir.FullName, "application.yml");
        await File.WriteAllTextAsync(routesFile, "spring:\n  cloud:\n    gateway:\n      routes: []\n");
        var app = await LoopbackHost.StartAsync("Platform.Gateway", new()
        {
            ["Gateway:RoutesFile"] = routesFile,
            ["Gateway:Admin:Token"] = "console-test-gateway-admin",
            ["Gateway:Discovery:EurekaUrl"] = "",
            ["Gateway:RoutesTopic"] = api.Topic(ResourceKinds.Route),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("gateway-registry"),
            ["Gateway:Routes:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = api.AdminToken,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        }, b => b.AddGateway(), a => a.MapGateway());
        return new ConsoleGateway(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
