using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Mirror pods of static pods belong to their Node: no ReplicaSet adopts them, the garbage collector keeps them while the Node lives.</summary>
[Collection(ControllerCollection.Name)]
public sealed class MirrorPodTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    private static Pod NodeOwnedPod(string name, string node, string nodeUid) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new ObjectMeta
        {
            Name = name,
            Labels = new() { ["app"] = "mirrored" },
            Annotations = new() { ["kubernetes.io/config.mirror"] = "0123456789abcdef0123456789abcdef", ["kubernetes.io/config.source"] = "file" },
            OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = nodeUid, Controller = true }],
        },
        Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] },
    };

    [Fact]
    public async Task MirrorPod_IsNotAdoptedByAMatchingReplicaSet_NorCollectedWhileItsNodeExists()
    {
        var nodeName = ClusterApi.NewName("node");
        var node = await _scope.Admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = nodeName } });
        var pods = $"/api/v1/namespaces/{_scope.Namespace}/pods";
        await _scope.Admin.CreateAsync(pods, NodeOwnedPod("static-" + nodeName, nodeName, (string)node["metadata"]!["uid"]!));
        await _scope.Admin.CreateAsync(pods, NodeOwnedPod("stale-" + nodeName, nodeName, Guid.NewGuid().ToString()));
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets", new ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet",
            Metadata = new ObjectMeta { Name = "rs" },
            Spec = new ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "mirrored" } },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = "mirrored" } }, Spec = new PodSpec { Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] } },
            },
        });

        // The ReplicaSet makes its own replica instead of counting the mirror pod, which matches its selector.
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Pod>(pods)).Any(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true),
            TimeSpan.FromSeconds(20), "the ReplicaSet created its own pod");
        // A pod owned by a Node that no longer exists (another uid) is collected; the live Node's mirror stays.
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(_scope.Namespace, "stale-" + nodeName) is null, TimeSpan.FromSeconds(20), "pod of a gone node collected");
        var mirror = (await _scope.Admin.GetPodAsync(_scope.Namespace, "static-" + nodeName))!;
        var owner = Assert.Single(mirror.Metadata.OwnerReferences!);
        Assert.Equal(("Node", nodeName), (owner.Kind, owner.Name));
        Assert.Single(await _scope.Admin.ListAsync<Pod>(pods), p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true);
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/nodes/{nodeName}");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
