using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.Connect.Runtime;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Connect.Tests.Infrastructure;

/// <summary>A Connect worker on real Kestrel at 127.0.0.1, wired exactly as Program.cs does, with test settings.</summary>
internal sealed class TestConnectWorker : IAsyncDisposable
{
    public const string User = "connect-user";
    public const string Password = "connect-secret";

    private readonly WebApplication _app;
    private bool _stopped;

    private TestConnectWorker(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Settings for a worker of its own group and topics (distributed). The mock broker does not answer CreateTopics,
    /// so the topics are made here with the partition counts a real worker would create.
    /// </summary>
    public static Dictionary<string, string?> Distributed(KafkaFixture kafka, string group)
    {
        kafka.EnsureTopic(group + "-configs", 1);
        kafka.EnsureTopic(group + "-offsets", 5);
        kafka.EnsureTopic(group + "-status", 2);
        kafka.EnsureTopic(group + "-coordination", 12);
        return DistributedSettings(kafka.BootstrapServers, group);
    }

    private static Dictionary<string, string?> DistributedSettings(string bootstrap, string group) => new()
    {
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Connect:Mode"] = "distributed",
        ["Connect:GroupId"] = group,
        ["Connect:ConfigStorageTopic"] = group + "-configs",
        ["Connect:OffsetStorageTopic"] = group + "-offsets",
        ["Connect:StatusStorageTopic"] = group + "-status",
        ["Connect:OffsetStoragePartitions"] = "5",
        ["Connect:StatusStoragePartitions"] = "2",
        ["Connect:OffsetFlushIntervalMs"] = "200",
        ["Connect:SessionTimeoutMs"] = "6000",
    };

    public static Dictionary<string, string?> Standalone(string bootstrap, string offsetsFile) => new()
    {
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Connect:Mode"] = "standalone",
        ["Connect:OffsetsFile"] = offsetsFile,
        ["Connect:OffsetFlushIntervalMs"] = "200",
    };

    public static async Task<TestConnectWorker> StartAsync(IDictionary<string, string?> settings, bool auth = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("CONNECT_TEST_LOG_LEVEL") ?? "Warning",
            ["Connect:Username"] = auth ? User : null,
            ["Connect:Password"] = auth ? Password : null,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPlatformDefaults();
        builder.AddConnectWorker();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapConnectApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var worker = new TestConnectWorker(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        var herder = app.Services.GetRequiredService<Herder>();
        await Eventually.WaitAsync(() => herder.Stable, TimeSpan.FromSeconds(60), "the worker to read its topics and join its group");
        return worker;
    }

    public HttpClient Client(bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        if (authenticated)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
