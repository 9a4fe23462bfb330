using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using PV = Platform.Contracts.Resources.PersistentVolume;
using PVC = Platform.Contracts.Resources.PersistentVolumeClaim;

namespace Platform.ControllerManager.Controllers.PersistentVolume;

/// <summary>The binding steps, each written only when not already so, and the volume side (Available, Bound, Released, reclaim).</summary>
internal sealed partial class VolumeBinder
{
    /// <summary>Volume's claimRef, claim's volumeName, volume status, claim status: in that order, as Kubernetes binds.</summary>
    private async Task BindAsync(PVC claim, PV pv, bool byController, CancellationToken ct)
    {
        var name = pv.Metadata.Name!;
        if (pv.Spec.ClaimRef is not { Uid.Length: > 0 } held || !VolumeMatching.IsFor(held, claim))
        {
            var claimRef = new ObjectReference
            {
                Kind = "PersistentVolumeClaim", ApiVersion = "v1", Namespace = claim.Metadata.Namespace, Name = claim.Metadata.Name,
                Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
            };
            var meta = new JsonObject { ["resourceVersion"] = pv.Metadata.ResourceVersion };
            if (byController) meta["annotations"] = new JsonObject { [PV.BoundByControllerAnnotation] = "yes" };
            var patch = new JsonObject { ["metadata"] = meta, ["spec"] = new JsonObject { ["claimRef"] = JsonSerializer.SerializeToNode(claimRef, ResourceJson.Options) } };
            if (!await Api.MergePatchAsync(ResourceKinds.PersistentVolume.ObjectPath(null, name), patch, ct)) return;
        }
        if (claim.Spec.VolumeName != name || claim.Metadata.Annotations?.GetValueOrDefault(PVC.BindCompletedAnnotation) != "yes")
        {
            var annotations = new JsonObject { [PVC.BindCompletedAnnotation] = "yes" };
            if (byController) annotations[PVC.BoundByControllerAnnotation] = "yes";
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = claim.Metadata.ResourceVersion, ["annotations"] = annotations },
                ["spec"] = new JsonObject { ["volumeName"] = name },
            };
            if (!await Api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!), patch, ct)) return;
        }
        if (pv.Status?.Phase != "Bound") await SetVolumePhaseAsync(pv, "Bound", ct);
        if (claim.Status?.Phase != "Bound")
        {
            await SetClaimStatusAsync(claim, "Bound", pv, ct);
            Bound(ObjectKeys.KeyOf(claim), name);
        }
    }

    private async Task SyncVolumeAsync(string name, CancellationToken ct)
    {
        if (Informers.PersistentVolumes.Get(name) is not { } pv || pv.Metadata.DeletionTimestamp is not null) return;
        if (pv.Spec.ClaimRef is not { } claimRef)
        {
            if (pv.Status?.Phase != "Available") await SetVolumePhaseAsync(pv, "Available", ct);
            return;
        }
        var claim = Informers.PersistentVolumeClaims.Get(claimRef.Namespace, claimRef.Name ?? "");
        if (string.IsNullOrEmpty(claimRef.Uid))
        {
            // Reserved by an administrator for a claim that may not exist yet.
            if (pv.Status?.Phase is not "Available") await SetVolumePhaseAsync(pv, "Available", ct);
            return;
        }
        if (claim is not null && claim.Metadata.Uid == claimRef.Uid)
        {
            // The claim finishes the binding (SyncClaimAsync); a claim naming another volume frees this one only if we chose it.
            if (claim.Spec.VolumeName is { Length: > 0 } other && other != name && pv.Metadata.Annotations?.ContainsKey(PV.BoundByControllerAnnotation) == true)
                await UnreserveAsync(pv, ct);
            return;
        }
        // The claim is gone (or is a new one of the same name): the volume is released.
        if (claim is null && await Api.GetAsync<PVC>(ResourceKinds.PersistentVolumeClaim.ObjectPath(claimRef.Namespace, claimRef.Name!), ct) is { } live && live.Metadata.Uid == claimRef.Uid)
            return; // the cache is behind the claim; its event requeues us
        if (pv.Status?.Phase is not ("Released" or "Failed"))
        {
            await SetVolumePhaseAsync(pv, "Released", ct);
            _events.Record(pv, "Normal", "VolumeReleased", $"claim {claimRef.Namespace}/{claimRef.Name} was deleted; reclaim policy {pv.Spec.PersistentVolumeReclaimPolicy ?? "Retain"}");
        }
        if (pv.Spec.PersistentVolumeReclaimPolicy == "Delete" && pv.Metadata.Annotations?.GetValueOrDefault(PV.ProvisionedByAnnotation) is not { Length: > 0 }
            && pv.Status?.Phase != "Failed")
        {
            // Only the provisioner that made a volume can delete its storage; a hand-made one with Delete cannot be.
            await SetVolumePhaseAsync(pv, "Failed", ct, "error getting deleter volume plugin for volume \"" + name + "\": no deletable volume plugin matched");
            _events.Record(pv, "Warning", "VolumeFailedDelete", $"error getting deleter volume plugin for volume \"{name}\": no deletable volume plugin matched");
        }
    }

    /// <summary>Drops a controller-made reservation the claim did not take (it bound another volume).</summary>
    private async Task UnreserveAsync(PV pv, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = pv.Metadata.ResourceVersion, ["annotations"] = new JsonObject { [PV.BoundByControllerAnnotation] = null } },
            ["spec"] = new JsonObject { ["claimRef"] = null },
        };
        await Api.MergePatchAsync(ResourceKinds.PersistentVolume.ObjectPath(null, pv.Metadata.Name!), patch, ct);
    }

    private async Task SetVolumePhaseAsync(PV pv, string phase, CancellationToken ct, string? message = null)
    {
        var status = new JsonObject { ["phase"] = phase, ["lastPhaseTransitionTime"] = Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) };
        if (message is not null) status["message"] = message;
        if (await Api.MergePatchAsync(ResourceKinds.PersistentVolume.ObjectPath(null, pv.Metadata.Name!) + "/status", new JsonObject { ["status"] = status }, ct))
            VolumePhase(pv.Metadata.Name!, phase);
    }

    private async Task SetClaimStatusAsync(PVC claim, string phase, PV? pv, CancellationToken ct)
    {
        var status = new JsonObject { ["phase"] = phase };
        if (pv is not null)
        {
            status["accessModes"] = JsonSerializer.SerializeToNode(pv.Spec.AccessModes, ResourceJson.Options);
            status["capacity"] = JsonSerializer.SerializeToNode(pv.Spec.Capacity, ResourceJson.Options);
        }
        await Api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!) + "/status", new JsonObject { ["status"] = status }, ct);
    }
}
