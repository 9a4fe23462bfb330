using Platform.Testing;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>One mock Kafka cluster (real protocol) for the tests that need events; each test uses its own topics.</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "kafka";
}
