using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>A ClusterRole labelled into <c>view</c> reaches view, edit and admin (the chain), and leaves them when it goes.</summary>
[Collection(ControllerCollection.Name)]
public sealed class ClusterRoleAggregationTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    private static bool Grants(ClusterRole? role, string resource) =>
        role?.Rules?.Any(r => r.ApiGroups?.Contains("widgets.example.com") == true && r.Resources?.Contains(resource) == true) == true;

    [Fact]
    public async Task ARoleLabelledAggregateToView_ExtendsViewEditAndAdmin_UntilDeleted()
    {
        var resource = "widgets" + Guid.NewGuid().ToString("N")[..6];
        var name = "test:" + resource + "-view";
        await _scope.Admin.CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", new ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole",
            Metadata = new ObjectMeta { Name = name, Labels = new() { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" } },
            Rules = [new PolicyRule { Verbs = ["get", "list", "watch"], ApiGroups = ["widgets.example.com"], Resources = [resource] }],
        });
        foreach (var aggregated in new[] { "view", "edit", "admin" })
            await Eventually.WaitAsync(async () => Grants(await _scope.Admin.GetAsync<ClusterRole>($"/apis/rbac.authorization.k8s.io/v1/clusterroles/{aggregated}"), resource),
                TimeSpan.FromSeconds(20), $"{aggregated} aggregates the new role");
        Assert.False(Grants(await _scope.Admin.GetAsync<ClusterRole>("/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin"), resource));

        (await _scope.Admin.DeleteAsync($"/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}")).EnsureSuccessStatusCode();
        foreach (var aggregated in new[] { "view", "edit", "admin" })
            await Eventually.WaitAsync(async () => !Grants(await _scope.Admin.GetAsync<ClusterRole>($"/apis/rbac.authorization.k8s.io/v1/clusterroles/{aggregated}"), resource),
                TimeSpan.FromSeconds(20), $"{aggregated} drops the deleted role's rules");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
