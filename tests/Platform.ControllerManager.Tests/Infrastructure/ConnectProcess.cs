using Platform.Testing;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>
/// The real Kafka Connect worker (its built Platform.Connect.dll) as a process on a free loopback port, distributed
/// mode in a group and topics of its own, with Basic credentials. The mock broker does not answer CreateTopics, so the
/// worker's topics are made here with the partition counts a worker would create.
/// </summary>
public sealed class ConnectProcess : IAsyncDisposable
{
    public const string User = "connect";
    public const string Password = "connect-secret";

    private readonly ServerProcess _server;

    private ConnectProcess(ServerProcess server) => _server = server;

    /// <summary>Without credentials, for the test's own calls.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>What the controller-manager is configured with (credentials in the URL, as CONNECT_URL carries them).</summary>
    public string ConnectUrl => $"http://{User}:{Password}@{_server.BaseAddress.Authority}";

    public static async Task<ConnectProcess> StartAsync(KafkaFixture kafka)
    {
        var group = "cm-connect-" + Guid.NewGuid().ToString("N")[..8];
        kafka.EnsureTopic(group + "-configs", 1);
        kafka.EnsureTopic(group + "-offsets", 5);
        kafka.EnsureTopic(group + "-status", 2);
        kafka.EnsureTopic(group + "-coordination", 12);
        var dll = RepoPaths.BuiltDll("connect", "Platform.Connect.dll");
        var server = await ServerProcess.StartAsync(dll, Network.FreeTcpPort(), new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Connect__Mode"] = "distributed",
            ["Connect__GroupId"] = group,
            ["Connect__ConfigStorageTopic"] = group + "-configs",
            ["Connect__OffsetStorageTopic"] = group + "-offsets",
            ["Connect__StatusStorageTopic"] = group + "-status",
            ["Connect__OffsetStoragePartitions"] = "5",
            ["Connect__StatusStoragePartitions"] = "2",
            ["Connect__SessionTimeoutMs"] = "6000",
            ["Connect__Username"] = User,
            ["Connect__Password"] = Password,
        }, healthPath: "healthz");
        return new ConnectProcess(server);
    }

    /// <summary>An HTTP client with the worker's credentials.</summary>
    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
