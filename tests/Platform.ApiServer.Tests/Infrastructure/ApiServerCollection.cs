using Platform.Testing;

namespace Platform.ApiServer.Tests.Infrastructure;

/// <summary>One Postgres server and one mock Kafka cluster for the assembly; each test makes its own database and topics.</summary>
[CollectionDefinition(Name)]
public sealed class ApiServerCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<KafkaFixture>
{
    public const string Name = "apiserver";
}
