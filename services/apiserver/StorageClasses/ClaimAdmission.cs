using System.Text.Json.Nodes;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Validation;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.StorageClasses;

/// <summary>
/// The admission of a new claim. Kubernetes' StorageObjectInUseProtection: the claim gets the finalizer
/// <c>kubernetes.io/pvc-protection</c>, which the controller-manager removes once no running pod uses the claim, so
/// deleting a claim in use waits (Terminating) instead of pulling the volume from under the pod. Kubernetes'
/// DefaultStorageClass: a claim that names no class (<c>storageClassName</c> absent, not empty) gets the class marked
/// <c>storageclass.kubernetes.io/is-default-class: "true"</c>, the newest one when several are marked. An empty name
/// keeps asking for a volume without a class; no default leaves the claim as it is.
/// </summary>
internal static class ClaimAdmission
{
    public static async Task<JsonObject> AdmitClaimAsync(WriteSession w, JsonObject body, CancellationToken ct)
    {
        if (body["metadata"] is JsonObject meta)
        {
            var finalizers = meta["finalizers"] as JsonArray ?? [];
            if (!finalizers.Any(f => (string?)f == PersistentVolumeClaim.ProtectionFinalizer)) finalizers.Add(PersistentVolumeClaim.ProtectionFinalizer);
            meta["finalizers"] = finalizers;
        }
        if (body["spec"] is not JsonObject spec || spec["storageClassName"] is not null) return body;
        var classes = await w.ListAsync(ResourceKinds.StorageClass, "", forUpdate: false, ct);
        var chosen = classes.Select(c => (StorageClass)ResourceCodec.Decode(ResourceKinds.StorageClass, c.Body))
            .Where(IsDefault)
            .OrderByDescending(c => c.Metadata.CreationTimestamp)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is not null) spec["storageClassName"] = chosen.Metadata.Name;
        return body;
    }

    public static bool IsDefault(StorageClass sc) =>
        string.Equals(sc.Metadata.Annotations?.GetValueOrDefault(StorageClass.DefaultClassAnnotation), "true", StringComparison.OrdinalIgnoreCase);
}
