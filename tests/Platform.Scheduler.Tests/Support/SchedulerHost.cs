using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Scheduler.Queue;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Scheduler.Tests.Support;

/// <summary>
/// The scheduler (the same AddScheduler as Program.cs) in this process against a real apiserver: it lists from
/// the apiserver, follows the apiserver's topics on the mock Kafka cluster and binds through HTTP with a token of
/// the scheduler role.
/// </summary>
internal sealed class SchedulerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SchedulerHost(WebApplication app) => _app = app;

    public SchedulerMetrics Metrics => _app.Services.GetRequiredService<SchedulerMetrics>();
    public SchedulingQueue Queue => _app.Services.GetRequiredService<SchedulingQueue>();

    public static async Task<string> CreateSchedulerTokenAsync(ApiServerHost api)
    {
        using var admin = api.AdminClient();
        var name = "scheduler-" + Guid.NewGuid().ToString("N")[..8];
        using var r = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name, role = "scheduler" });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["token"]!.ToString();
    }

    public static async Task<SchedulerHost> StartAsync(ApiServerHost api, KafkaFixture kafka, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Scheduler:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Scheduler:Token"] = await CreateSchedulerTokenAsync(api),
            ["Scheduler:TopicPrefix"] = api.TopicPrefix,
            ["Scheduler:LeaderElection:Enabled"] = "false",
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.Scheduler" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddScheduler();
        var app = builder.Build();
        app.MapPlatformDefaults();
        await app.StartAsync();
        return new SchedulerHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
