using Platform.Testing;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>Postgres and Kafka for tests that run an apiserver process and controllers but no node agents (no Docker).</summary>
[CollectionDefinition(Name)]
public sealed class ControlPlaneCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<KafkaFixture>
{
    public const string Name = "control-plane";
}
