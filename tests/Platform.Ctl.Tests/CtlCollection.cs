using Platform.Testing;

namespace Platform.Ctl.Tests;

[CollectionDefinition(Name)]
public sealed class CtlCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<KafkaFixture>
{
    public const string Name = "platformctl";
}
