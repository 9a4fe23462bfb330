using Platform.Testing;

namespace Platform.Outbox.Tests;

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "infra";
}
