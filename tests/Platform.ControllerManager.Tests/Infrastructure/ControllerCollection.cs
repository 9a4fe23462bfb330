using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ControllerCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "controllers";
}
