using Platform.Contracts.Resources;
using PV = Platform.Contracts.Resources.PersistentVolume;
using PVC = Platform.Contracts.Resources.PersistentVolumeClaim;

namespace Platform.ControllerManager.Controllers.PersistentVolume;

/// <summary>
/// Which volume a claim binds to, as Kubernetes' <c>findBestMatchForClaim</c> chooses: a volume pre-bound to the
/// claim first; else the smallest available volume of the claim's class with every access mode asked, at least the
/// size asked, the claim's selector's labels and the same volume mode, reachable from the selected node when the
/// class waits for the first consumer.
/// </summary>
internal static class VolumeMatching
{
    public static PV? BestMatch(PVC claim, IEnumerable<PV> volumes, Node? selectedNode)
    {
        var wanted = RequestedBytes(claim);
        var modes = claim.Spec.AccessModes ?? [];
        var cls = claim.Spec.StorageClassName ?? "";
        var selector = claim.Spec.Selector is null ? null : Selector.FromLabelSelector(claim.Spec.Selector);
        PV? best = null;
        foreach (var pv in volumes)
        {
            if (pv.Metadata.DeletionTimestamp is not null || pv.Status?.Phase is "Released" or "Failed") continue;
            if (pv.Spec.ClaimRef is { } reserved)
            {
                if (!IsFor(reserved, claim)) continue;
                if (Fits(pv, wanted, modes, cls, claim.Spec.VolumeMode, selectedNode)) return pv; // pre-bound to this claim
                continue;
            }
            if (selector is not null && !selector.Matches(pv.Metadata.Labels)) continue;
            if (!Fits(pv, wanted, modes, cls, claim.Spec.VolumeMode, selectedNode)) continue;
            if (best is null || CapacityBytes(pv) < CapacityBytes(best)) best = pv;
        }
        return best;
    }

    /// <summary>Whether <paramref name="pv"/> serves <paramref name="claim"/> (for a claim that names its volume).</summary>
    public static bool Fits(PV pv, PVC claim, Node? selectedNode) =>
        Fits(pv, RequestedBytes(claim), claim.Spec.AccessModes ?? [], claim.Spec.StorageClassName ?? "", claim.Spec.VolumeMode, selectedNode);

    private static bool Fits(PV pv, decimal wanted, List<string> modes, string cls, string? volumeMode, Node? node) =>
        (pv.Spec.StorageClassName ?? "") == cls
        && modes.All(m => pv.Spec.AccessModes?.Contains(m) == true)
        && CapacityBytes(pv) >= wanted
        && (pv.Spec.VolumeMode ?? "Filesystem") == (volumeMode ?? "Filesystem")
        && (node is null || pv.Spec.NodeAffinity?.Required is not { } required
            || NodeSelectorMatching.Matches(required, node.Metadata.Name!, node.Metadata.Labels ?? []));

    /// <summary>A volume's claimRef names the claim: by namespace and name, and by uid when it has one.</summary>
    public static bool IsFor(ObjectReference claimRef, PVC claim) =>
        claimRef.Namespace == claim.Metadata.Namespace && claimRef.Name == claim.Metadata.Name
        && (string.IsNullOrEmpty(claimRef.Uid) || claimRef.Uid == claim.Metadata.Uid);

    public static decimal RequestedBytes(PVC claim) =>
        Quantity.TryParse(claim.Spec.Resources?.Requests?.GetValueOrDefault("storage"), out var q) ? q : 0;

    public static decimal CapacityBytes(PV pv) =>
        Quantity.TryParse(pv.Spec.Capacity?.GetValueOrDefault("storage"), out var q) ? q : 0;
}
