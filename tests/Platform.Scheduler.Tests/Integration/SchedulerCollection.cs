using Platform.Testing;

namespace Platform.Scheduler.Tests.Integration;

/// <summary>One Postgres server and one mock Kafka cluster for the assembly; each test has its own apiserver database and topics.</summary>
[CollectionDefinition(Name)]
public sealed class SchedulerCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<KafkaFixture>
{
    public const string Name = "scheduler";
}
