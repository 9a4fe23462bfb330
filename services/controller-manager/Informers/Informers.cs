using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Informers;

/// <summary>The shared caches every controller reads; filled by <see cref="InformerService"/>.</summary>
internal sealed class Informers
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceCache<Pod> Pods { get; } = new(ResourceKinds.Pod);
    public ResourceCache<ReplicaSet> ReplicaSets { get; } = new(ResourceKinds.ReplicaSet);
    public ResourceCache<Deployment> Deployments { get; } = new(ResourceKinds.Deployment);
    public ResourceCache<Node> Nodes { get; } = new(ResourceKinds.Node);
    public ResourceCache<Service> Services { get; } = new(ResourceKinds.Service);
    public ResourceCache<Lease> Leases { get; } = new(ResourceKinds.Lease);

    /// <summary>Completes when every cache holds its initial list (controllers start reconciling only then).</summary>
    public Task Synced => _synced.Task;

    internal void MarkSynced() => _synced.TrySetResult();

    public IEnumerable<ResourceKind> Kinds => [ResourceKinds.Pod, ResourceKinds.ReplicaSet, ResourceKinds.Deployment, ResourceKinds.Node, ResourceKinds.Service, ResourceKinds.Lease];

    /// <summary>Applies one object of any followed kind (from a list or an event).</summary>
    public void Apply(ResourceKind kind, ReadOnlySpan<byte> json, long? version, bool deleted)
    {
        if (kind == ResourceKinds.Pod) Apply(Pods, json, version, deleted);
        else if (kind == ResourceKinds.ReplicaSet) Apply(ReplicaSets, json, version, deleted);
        else if (kind == ResourceKinds.Deployment) Apply(Deployments, json, version, deleted);
        else if (kind == ResourceKinds.Node) Apply(Nodes, json, version, deleted);
        else if (kind == ResourceKinds.Service) Apply(Services, json, version, deleted);
        else if (kind == ResourceKinds.Lease) Apply(Leases, json, version, deleted);
    }

    private static void Apply<T>(ResourceCache<T> cache, ReadOnlySpan<byte> json, long? version, bool deleted) where T : Resource
    {
        var item = System.Text.Json.JsonSerializer.Deserialize<T>(json, ResourceJson.Options);
        if (item is null) return;
        cache.Apply(item, version ?? ResourceCache<T>.VersionOf(item), deleted);
    }
}
