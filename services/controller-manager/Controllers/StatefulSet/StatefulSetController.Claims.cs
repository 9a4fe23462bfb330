using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using STS = Platform.Contracts.Resources.StatefulSet;

namespace Platform.ControllerManager.Controllers.StatefulSet;

/// <summary>
/// The per-ordinal claims of <c>volumeClaimTemplates</c> (Kubernetes' StatefulPodControl): made before the pod that
/// mounts them, kept when the pod goes, and deleted only as <c>persistentVolumeClaimRetentionPolicy</c> asks — with the
/// set (<c>whenDeleted: Delete</c>: the set owns its claims) or with a pod removed by a scale-down
/// (<c>whenScaled: Delete</c>: the condemned pod owns its claims before it is deleted). Under <c>Retain</c> (the
/// default) no owner is set, so claims and their data survive both.
/// </summary>
internal sealed partial class StatefulSetController
{
    /// <summary>Creates the ordinal's missing claims; an existing one (from an earlier pod of the ordinal) is reused as it is.</summary>
    private async Task EnsureClaimsAsync(STS set, int ordinal, string podName, CancellationToken ct)
    {
        foreach (var claim in StatefulSetClaims.For(set, ordinal))
        {
            var existing = Informers.PersistentVolumeClaims.Get(claim.Metadata.Namespace, claim.Metadata.Name!);
            if (existing is not null)
            {
                if (existing.Metadata.DeletionTimestamp is not null)
                    throw new InvalidOperationException($"claim {claim.Metadata.Name} of pod {podName} is being deleted; the pod waits for it to go");
                await SetClaimOwnersAsync(set, existing, condemned: null, ct);
                continue;
            }
            var made = DeleteWithSet(set) ? claim with { Metadata = claim.Metadata with { OwnerReferences = [OwnerRef(set)] } } : claim;
            try
            {
                await Api.CreateAsync(ResourceKinds.PersistentVolumeClaim.CollectionPath(set.Metadata.Namespace), made, ct);
                _events.Record(set, "Normal", "SuccessfulCreate", $"create Claim {claim.Metadata.Name} Pod {podName} in StatefulSet {set.Metadata.Name} success");
            }
            catch (HttpRequestException ex)
            {
                _events.Record(set, "Warning", "FailedCreate", $"create Claim {claim.Metadata.Name} for Pod {podName} in StatefulSet {set.Metadata.Name} failed error: {ex.Message}");
                throw;
            }
        }
    }

    /// <summary>Before a scale-down deletes <paramref name="pod"/>: under <c>whenScaled: Delete</c> its claims become its dependents.</summary>
    private async Task CondemnClaimsAsync(STS set, Pod pod, int ordinal, CancellationToken ct)
    {
        if (set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenScaled != "Delete") return;
        foreach (var claim in StatefulSetClaims.For(set, ordinal))
            if (Informers.PersistentVolumeClaims.Get(claim.Metadata.Namespace, claim.Metadata.Name!) is { } existing)
                await SetClaimOwnersAsync(set, existing, pod, ct);
    }

    /// <summary>The claim's owners as the policy wants them: the set under whenDeleted Delete, the condemned pod under whenScaled Delete, others kept.</summary>
    private async Task SetClaimOwnersAsync(STS set, PersistentVolumeClaim claim, Pod? condemned, CancellationToken ct)
    {
        var owners = (claim.Metadata.OwnerReferences ?? []).Where(o => o.Uid != set.Metadata.Uid && (o.Kind != "Pod" || o.Uid == condemned?.Metadata.Uid)).ToList();
        if (DeleteWithSet(set)) owners.Add(OwnerRef(set));
        if (condemned is not null && owners.All(o => o.Uid != condemned.Metadata.Uid))
            owners.Add(new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = condemned.Metadata.Name, Uid = condemned.Metadata.Uid, BlockOwnerDeletion = true });
        var before = (claim.Metadata.OwnerReferences ?? []).Select(o => o.Uid).Order().ToList();
        if (before.SequenceEqual(owners.Select(o => o.Uid).Order())) return;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = claim.Metadata.ResourceVersion,
                ["ownerReferences"] = owners.Count == 0 ? null : JsonSerializer.SerializeToNode(owners, ResourceJson.Options),
            },
        };
        await Api.MergePatchAsync(ResourceKinds.PersistentVolumeClaim.ObjectPath(claim.Metadata.Namespace, claim.Metadata.Name!), patch, ct);
    }

    private static bool DeleteWithSet(STS set) => set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenDeleted == "Delete";

    /// <summary>The set as a claim's owner: not its controller (claims are not controlled), blocking the set's foreground deletion.</summary>
    private static OwnerReference OwnerRef(STS set) => new()
    {
        ApiVersion = ResourceKinds.StatefulSet.ApiVersion, Kind = ResourceKinds.StatefulSet.Kind, Name = set.Metadata.Name, Uid = set.Metadata.Uid, BlockOwnerDeletion = true,
    };
}
