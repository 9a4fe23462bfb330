using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// kube-scheduler's VolumeBinding for a pod's <c>persistentVolumeClaim</c> volumes. Every claim must exist and not be
/// going away; a bound claim's volume must reach the node (its <c>nodeAffinity</c>: a local volume pins its pods to
/// its node); an unbound claim of a WaitForFirstConsumer class is bound where the pod goes: PreBind writes
/// <c>volume.kubernetes.io/selected-node</c> on it, for the binder and the node's provisioner. An unbound claim of an
/// Immediate class keeps the pod pending until the binder binds it. Read through <see cref="IVolumeLister"/>.
/// </summary>
internal sealed class VolumeBinding(IVolumeLister volumes, IServiceProvider services) : IPreFilterPlugin, IFilterPlugin, IPreBindPlugin
{
    public const string PluginName = "VolumeBinding";
    public const string ReasonNodeConflict = "node(s) had volume node affinity conflict";
    public const string ReasonUnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";
    public const string ReasonBoundToMissing = "pvc(s) bound to non-existent pv(s)";
    public const string ReasonSelectedElsewhere = "node(s) didn't match the node selected for the pod's unbound claims";
    private const string StateKey = "VolumeBinding";

    public string Name => PluginName;

    /// <summary>What PreFilter found: the bound claims' volumes' node affinities and the claims still to bind where the pod goes.</summary>
    private sealed record PodVolumes(List<NodeSelector> Affinities, List<PersistentVolumeClaim> Delayed);

    public Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster)
    {
        var claims = pod.Pod.Spec.Volumes?.Where(v => v.PersistentVolumeClaim?.ClaimName is { Length: > 0 }).Select(v => v.PersistentVolumeClaim!.ClaimName!).Distinct().ToList();
        if (claims is not { Count: > 0 }) return Status.Skip;
        var found = new PodVolumes([], []);
        foreach (var name in claims)
        {
            if (volumes.Claim(pod.Namespace, name) is not { } claim) return Status.Unresolvable($"persistentvolumeclaim \"{name}\" not found").WithPlugin(PluginName);
            if (claim.Metadata.DeletionTimestamp is not null) return Status.Unresolvable($"persistentvolumeclaim \"{name}\" is being deleted").WithPlugin(PluginName);
            if (claim.Spec.VolumeName is { Length: > 0 } volumeName)
            {
                if (volumes.Volume(volumeName) is not { } pv) return Status.Unresolvable(ReasonBoundToMissing).WithPlugin(PluginName);
                if (pv.Spec.NodeAffinity?.Required is { } required) found.Affinities.Add(required);
                continue;
            }
            var cls = claim.Spec.StorageClassName is { Length: > 0 } c ? volumes.Class(c) : null;
            if (cls?.VolumeBindingMode != "WaitForFirstConsumer") return Status.Unresolvable(ReasonUnboundImmediate).WithPlugin(PluginName);
            found.Delayed.Add(claim);
        }
        state.Write(StateKey, found);
        return Status.Success;
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        var found = state.Read<PodVolumes>(StateKey);
        foreach (var affinity in found.Affinities)
            if (!NodeSelectorMatching.Matches(affinity, node.Name, node.Labels)) return Status.Unresolvable(ReasonNodeConflict).WithPlugin(PluginName);
        foreach (var claim in found.Delayed)
            if (claim.Metadata.Annotations?.GetValueOrDefault(PersistentVolumeClaim.SelectedNodeAnnotation) is { Length: > 0 } selected && selected != node.Name)
                return Status.Unresolvable(ReasonSelectedElsewhere).WithPlugin(PluginName);
        return Status.Success;
    }

    public async Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        if (state.TryRead<PodVolumes>(StateKey) is not { Delayed.Count: > 0 } found) return Status.Skip;
        var api = services.GetRequiredService<ApiClient>();
        foreach (var claim in found.Delayed)
        {
            if (claim.Metadata.Annotations?.GetValueOrDefault(PersistentVolumeClaim.SelectedNodeAnnotation) == nodeName) continue;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = claim.Metadata.ResourceVersion,
                    ["annotations"] = new JsonObject { [PersistentVolumeClaim.SelectedNodeAnnotation] = nodeName },
                },
            };
            if (!await api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!), patch, cancellationToken))
                return Status.Error($"persistentvolumeclaim \"{claim.Metadata.Name}\" disappeared while binding the pod");
        }
        return Status.Success;
    }
}
