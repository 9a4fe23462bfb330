using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.ServiceDefaults;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>The real controller-manager (the same AddControllerManager as Program.cs) in this process, with its own consumer group.</summary>
public sealed class ControllerManagerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControllerManagerHost(WebApplication app) => _app = app;

    public static async Task<ControllerManagerHost> StartAsync(ClusterFixture cluster, string token, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControllerManager:ApiServerUrl"] = cluster.ApiServer.BaseAddress.ToString(),
            ["ControllerManager:Token"] = token,
            ["ControllerManager:TopicPrefix"] = cluster.ApiServer.TopicPrefix,
            ["ControllerManager:GroupId"] = "cm-" + Guid.NewGuid().ToString("N")[..8],
            ["Kafka:BootstrapServers"] = cluster.Kafka.BootstrapServers,
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.ControllerManager" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddControllerManager();
        var app = builder.Build();
        app.MapPlatformDefaults();
        await app.StartAsync();
        return new ControllerManagerHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
