using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>The real controller-manager (the same AddControllerManager as Program.cs) in this process, with its own consumer group.</summary>
public sealed class ControllerManagerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControllerManagerHost(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    /// <summary>Where its /healthz, /readyz and /metrics answer.</summary>
    public Uri BaseAddress { get; }

    public static Task<ControllerManagerHost> StartAsync(ClusterFixture cluster, string token, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null) =>
        StartAsync(cluster.ApiServer, cluster.Kafka, token, configure, services);

    /// <summary>Against <paramref name="apiServer"/> alone: for controllers that need no node agents (and so no Docker).</summary>
    /// <remarks><paramref name="services"/> runs after the controller-manager's registrations (a controller on a fake clock, say).</remarks>
    public static async Task<ControllerManagerHost> StartAsync(ApiServerProcess apiServer, KafkaFixture kafka, string token, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControllerManager:ApiServerUrl"] = apiServer.BaseAddress.ToString(),
            ["ControllerManager:Token"] = token,
            ["ControllerManager:TopicPrefix"] = apiServer.TopicPrefix,
            ["ControllerManager:GroupId"] = "cm-" + Guid.NewGuid().ToString("N")[..8],
            // Its own leader lease, so hosts of other tests never wait for each other; election tests share one on purpose.
            ["ControllerManager:LeaderElection:LeaseName"] = "cm-" + Guid.NewGuid().ToString("N")[..8],
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.ControllerManager" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddControllerManager();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapPlatformDefaults();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ControllerManagerHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
