using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Every namespace gets its <c>default</c> ServiceAccount, and gets it back when it is deleted.</summary>
[Collection(ControllerCollection.Name)]
public sealed class ServiceAccountsControllerTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    [Fact]
    public async Task EveryNamespace_HasADefaultServiceAccount_RecreatedWhenDeleted()
    {
        var path = ResourceKinds.ServiceAccount.ObjectPath(_scope.Namespace, "default");
        var first = await Eventually.WaitAsync(() => _scope.Admin.GetAsync<ServiceAccount>(path), TimeSpan.FromSeconds(20), "default ServiceAccount of an existing namespace");

        var fresh = "sa-" + Guid.NewGuid().ToString("N")[..8];
        await _scope.Admin.CreateAsync("/api/v1/namespaces", new Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = fresh } });
        await Eventually.WaitAsync(() => _scope.Admin.GetAsync<ServiceAccount>(ResourceKinds.ServiceAccount.ObjectPath(fresh, "default")),
            TimeSpan.FromSeconds(20), "default ServiceAccount of a new namespace");

        (await _scope.Admin.DeleteAsync(path)).EnsureSuccessStatusCode();
        var again = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<ServiceAccount>(path) is { } sa && sa.Metadata.Uid != first.Metadata.Uid ? sa : null,
            TimeSpan.FromSeconds(20), "deleted default ServiceAccount recreated");
        Assert.Equal("default", again.Metadata.Name);
        (await _scope.Admin.DeleteAsync($"/api/v1/namespaces/{fresh}")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
