using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.Scheduler;
using Platform.ServiceDefaults;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>
/// The real scheduler (the same AddScheduler as Program.cs) in this process, for tests whose pods need scheduling
/// (volume binding waits for the first consumer). It answers only to its own <c>schedulerName</c>, so pods of other
/// tests on the shared apiserver are never its business.
/// </summary>
public sealed class SchedulerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SchedulerHost(WebApplication app, string name)
    {
        _app = app;
        SchedulerName = name;
    }

    /// <summary>What pods set as <c>spec.schedulerName</c> to be scheduled by this host.</summary>
    public string SchedulerName { get; }

    /// <summary>The Node as this scheduler's informer holds it now (a cordon reaches it through Kafka, a moment after the write).</summary>
    public Node? SeenNode(string name) =>
        (_app.Services.GetRequiredService<Platform.ApiServer.Client.Informers.SharedInformerFactory>().Find("nodes") as Platform.ApiServer.Client.Informers.Informer<Node>)?.Get(null, name);

    public static async Task<SchedulerHost> StartAsync(ClusterFixture cluster, string token)
    {
        var name = "sched-" + Guid.NewGuid().ToString("N")[..8];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.Scheduler" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.Kafka.BootstrapServers,
            ["Scheduler:ApiServerUrl"] = cluster.ApiServer.BaseAddress.ToString(),
            ["Scheduler:Token"] = token,
            ["Scheduler:TopicPrefix"] = cluster.ApiServer.TopicPrefix,
            ["Scheduler:SchedulerName"] = name,
            ["Scheduler:LeaderElection:Enabled"] = "false",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddScheduler();
        var app = builder.Build();
        app.MapPlatformDefaults();
        await app.StartAsync();
        return new SchedulerHost(app, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
