using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.Connect;
using Platform.ServiceDefaults;

namespace Platform.Bench.Connect;

/// <summary>A standalone Connect worker in this process on a free loopback port, driven over its REST API like curl would.</summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchWorker(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<BenchWorker> StartAsync(string bootstrap, string stateDir)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Connect:Mode"] = "standalone",
            ["Connect:OffsetsFile"] = Path.Combine(stateDir, "connect.offsets"),
        });
        builder.AddPlatformDefaults();
        builder.AddConnectWorker();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapConnectApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        for (var i = 0; (await client.GetAsync("connectors")).StatusCode != System.Net.HttpStatusCode.OK; i++)
        {
            if (i > 300) throw new TimeoutException("the worker did not become ready in 30 s");
            await Task.Delay(100);
        }
        return new BenchWorker(app, client);
    }

    public async Task CreateAsync(string name, JsonObject config)
    {
        using var response = await Client.PostAsJsonAsync("connectors", new JsonObject { ["name"] = name, ["config"] = config });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /connectors {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task WaitRunningAsync(string name)
    {
        for (var i = 0; i < 600; i++)
        {
            using var response = await Client.GetAsync($"connectors/{name}/status");
            if (!response.IsSuccessStatusCode)
            {
                await Task.Delay(100); // not known yet: the config is still being written
                continue;
            }
            var status = await response.Content.ReadFromJsonAsync<JsonObject>();
            var tasks = status?["tasks"]?.AsArray() ?? [];
            if (tasks.Count > 0 && tasks.All(t => t?["state"]?.GetValue<string>() == "RUNNING")) return;
            if (tasks.Any(t => t?["state"]?.GetValue<string>() == "FAILED")) throw new InvalidOperationException($"{name} failed: {status}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"{name} did not reach RUNNING in 60 s");
    }

    public async Task DeleteAsync(string name) => (await Client.DeleteAsync($"connectors/{name}")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
