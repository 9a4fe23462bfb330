using Platform.Testing.ApiServer;
using Xunit;

namespace Platform.Testing.Cluster;

/// <summary>
/// Postgres, the mock Kafka cluster, dockerd and one apiserver process for the assembly. Tests isolate themselves
/// with their own namespace and node names (cluster-scoped Nodes are named per test).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();
    public KafkaFixture Kafka { get; } = new();
    public DockerFixture Docker { get; } = new();
    public ApiServerProcess ApiServer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        await Docker.InitializeAsync();
        ApiServer = await ApiServerProcess.StartAsync(Postgres, Kafka);
    }

    public async Task DisposeAsync()
    {
        await ApiServer.DisposeAsync();
        await Docker.DisposeAsync();
        Kafka.Dispose();
        await Postgres.DisposeAsync();
    }
}
