using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.Contracts.Storage;

namespace Platform.NodeAgent.Volumes;

/// <summary>A volume a pod's container cannot have yet (kubelet's FailedMount): the container waits, the sync retries.</summary>
internal sealed class VolumeNotReadyException(string message) : InvalidOperationException(message);

/// <summary>
/// Where a pod's <c>persistentVolumeClaim</c> volume lives on this node: the claim must be Bound, its volume local to
/// this node (or a hostPath), and the directory there. Read from the apiserver at each container start, as
/// ConfigMap volumes are.
/// </summary>
internal static class ClaimVolumes
{
    public static async Task<string> HostPathAsync(string ns, string claimName, NodeAgentOptions o, ApiClient api, CancellationToken ct)
    {
        var claim = await api.GetAsync<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim.ObjectPath(ns, claimName), ct)
            ?? throw new VolumeNotReadyException($"persistentvolumeclaim \"{claimName}\" not found");
        if (claim.Metadata.DeletionTimestamp is not null) throw new VolumeNotReadyException($"persistentvolumeclaim \"{claimName}\" is being deleted");
        if (claim.Status?.Phase != "Bound" || claim.Spec.VolumeName is not { Length: > 0 } volumeName)
            throw new VolumeNotReadyException($"persistentvolumeclaim \"{claimName}\" is not bound");
        var pv = await api.GetAsync<PersistentVolume>(ResourceKinds.PersistentVolume.ObjectPath(null, volumeName), ct)
            ?? throw new VolumeNotReadyException($"persistentvolume \"{volumeName}\" of claim \"{claimName}\" not found");
        if (pv.Spec.Local is { Path: { } local })
        {
            if (pv.Spec.NodeAffinity?.Required is { } required
                && !NodeSelectorMatching.Matches(required, o.NodeName, new Dictionary<string, string>(o.Labels) { [LocalVolumes.HostnameLabel] = o.NodeName }))
                throw new VolumeNotReadyException($"persistentvolume \"{volumeName}\" is not reachable from node \"{o.NodeName}\" (spec.nodeAffinity)");
            if (!Directory.Exists(local)) throw new VolumeNotReadyException($"path \"{local}\" of local persistentvolume \"{volumeName}\" does not exist on node \"{o.NodeName}\"");
            return local;
        }
        if (pv.Spec.HostPath is { Path: { } path })
        {
            Directory.CreateDirectory(path);
            return path;
        }
        throw new VolumeNotReadyException($"persistentvolume \"{volumeName}\" has no local or hostPath source this node can mount");
    }
}
