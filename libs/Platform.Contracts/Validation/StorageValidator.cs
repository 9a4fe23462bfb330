using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>PersistentVolume, PersistentVolumeClaim and StorageClass as Kubernetes' core and storage validation checks them.</summary>
public static class StorageValidator
{
    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
    private static readonly string[] ReclaimPolicies = ["Retain", "Delete"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];

    public static void ValidateVolume(PersistentVolume pv, FieldErrors errors)
    {
        var spec = pv.Spec;
        if (spec is null) { errors.Required("spec"); return; }
        ValidateModes(spec.AccessModes, "spec.accessModes", errors);
        if (spec.Capacity?.GetValueOrDefault("storage") is not { } size) errors.Required("spec.capacity.storage");
        else ValidateSize(size, "spec.capacity.storage", errors);
        foreach (var key in (spec.Capacity?.Keys.AsEnumerable() ?? []).Where(k => k != "storage"))
            errors.Invalid($"spec.capacity[{key}]", $"Unsupported value: \"{key}\": supported values: \"storage\"");
        if (spec.PersistentVolumeReclaimPolicy is { } rp && !ReclaimPolicies.Contains(rp))
            errors.Invalid("spec.persistentVolumeReclaimPolicy", rp == "Recycle"
                ? "Unsupported value: \"Recycle\": the Recycle policy is deprecated and not served; use Delete or Retain"
                : $"Unsupported value: \"{rp}\": supported values: \"Delete\", \"Retain\"");
        if (spec.StorageClassName is { Length: > 0 } sc && !LabelNames.IsDns1123Subdomain(sc))
            errors.Invalid("spec.storageClassName", $"'{sc}' must be a DNS-1123 subdomain");
        if (spec.VolumeMode is { } mode && mode != "Filesystem")
            errors.Invalid("spec.volumeMode", $"Unsupported value: \"{mode}\": supported values: \"Filesystem\"");
        var sources = (spec.Local is null ? 0 : 1) + (spec.HostPath is null ? 0 : 1);
        if (sources == 0) errors.Required("spec: must specify a volume type: one of local, hostPath");
        if (sources > 1) errors.Invalid("spec", "may not specify more than 1 volume type");
        if (spec.Local is { } local)
        {
            ValidatePath(local.Path, "spec.local.path", errors);
            if (spec.NodeAffinity?.Required is null) errors.Required("spec.nodeAffinity: Local volumes require node affinity");
        }
        if (spec.HostPath is { } hp) ValidatePath(hp.Path, "spec.hostPath.path", errors);
        if (spec.NodeAffinity is { } na && (na.Required?.NodeSelectorTerms is null || na.Required.NodeSelectorTerms.Count == 0))
            errors.Required("spec.nodeAffinity.required.nodeSelectorTerms");
        if (spec.ClaimRef is { } claim && (string.IsNullOrEmpty(claim.Name) || string.IsNullOrEmpty(claim.Namespace)))
            errors.Required(string.IsNullOrEmpty(claim.Name) ? "spec.claimRef.name" : "spec.claimRef.namespace");
    }

    public static void ValidateClaim(PersistentVolumeClaim pvc, FieldErrors errors)
    {
        var spec = pvc.Spec;
        if (spec is null) { errors.Required("spec"); return; }
        ValidateClaimSpec(spec, "spec", errors);
    }

    /// <summary>A claim's spec, also a StatefulSet's <c>volumeClaimTemplates[i].spec</c>.</summary>
    public static void ValidateClaimSpec(PersistentVolumeClaimSpec spec, string path, FieldErrors errors)
    {
        ValidateModes(spec.AccessModes, path + ".accessModes", errors);
        if (spec.Resources?.Requests?.GetValueOrDefault("storage") is not { } size) errors.Required(path + ".resources[storage]");
        else ValidateSize(size, path + ".resources[storage]", errors);
        if (spec.StorageClassName is { Length: > 0 } sc && !LabelNames.IsDns1123Subdomain(sc))
            errors.Invalid(path + ".storageClassName", $"'{sc}' must be a DNS-1123 subdomain");
        if (spec.VolumeMode is { } mode && mode != "Filesystem")
            errors.Invalid(path + ".volumeMode", $"Unsupported value: \"{mode}\": supported values: \"Filesystem\"");
        if (spec.Selector is { } sel)
            try { Selector.FromLabelSelector(sel); }
            catch (FormatException ex) { errors.Invalid(path + ".selector", ex.Message); }
    }

    public static void ValidateClass(StorageClass sc, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(sc.Provisioner)) errors.Required("provisioner");
        else if (!LabelNames.IsValidKey(sc.Provisioner)) errors.Invalid("provisioner", $"'{sc.Provisioner}' must be a qualified name such as example.com/name");
        if (sc.ReclaimPolicy is { } rp && !ReclaimPolicies.Contains(rp))
            errors.Invalid("reclaimPolicy", $"Unsupported value: \"{rp}\": supported values: \"Delete\", \"Retain\"");
        if (sc.VolumeBindingMode is { } mode && !BindingModes.Contains(mode))
            errors.Invalid("volumeBindingMode", $"Unsupported value: \"{mode}\": supported values: \"Immediate\", \"WaitForFirstConsumer\"");
        if (sc.Parameters?.Count > 512) errors.Invalid("parameters", "may not have more than 512 parameters");
    }

    /// <summary>What Kubernetes forbids changing: a claim's spec (but its size and a first volumeName), a class's all but labels and annotations, a volume's source.</summary>
    public static void ValidateUpdate(Resource now, Resource old, FieldErrors errors)
    {
        switch (now, old)
        {
            case (PersistentVolumeClaim a, PersistentVolumeClaim b):
                var bound = b.Spec.VolumeName is { Length: > 0 };
                // A claim with no class may get the default one later (Kubernetes' retroactive default class assignment).
                var same = a.Spec with { Resources = null, VolumeName = bound ? a.Spec.VolumeName : null, StorageClassName = b.Spec.StorageClassName is null ? null : a.Spec.StorageClassName };
                var before = b.Spec with { Resources = null, VolumeName = bound ? b.Spec.VolumeName : null };
                if (!Same(same, before) || (!bound && !Same(a.Spec.Resources, b.Spec.Resources)))
                    errors.Invalid("spec", "Forbidden: spec is immutable after creation except resources.requests for bound claims");
                if (bound && Quantity.TryParse(a.Spec.Resources?.Requests?.GetValueOrDefault("storage"), out var grow)
                    && Quantity.TryParse(b.Spec.Resources?.Requests?.GetValueOrDefault("storage"), out var was) && grow < was)
                    errors.Invalid("spec.resources.requests.storage", "Forbidden: field can not be less than previous value");
                break;
            case (StorageClass a, StorageClass b):
                if (a.Provisioner != b.Provisioner) errors.Immutable("provisioner");
                if (!Same(a.Parameters, b.Parameters)) errors.Immutable("parameters");
                if ((a.ReclaimPolicy ?? "Delete") != (b.ReclaimPolicy ?? "Delete")) errors.Immutable("reclaimPolicy");
                if ((a.VolumeBindingMode ?? "Immediate") != (b.VolumeBindingMode ?? "Immediate")) errors.Immutable("volumeBindingMode");
                break;
            case (PersistentVolume a, PersistentVolume b):
                if (!Same(a.Spec.Local, b.Spec.Local) || !Same(a.Spec.HostPath, b.Spec.HostPath)) errors.Invalid("spec.persistentvolumesource", "field is immutable");
                if (b.Spec.NodeAffinity is not null && !Same(a.Spec.NodeAffinity, b.Spec.NodeAffinity)) errors.Immutable("spec.nodeAffinity");
                break;
        }
    }

    private static void ValidateModes(List<string>? modes, string path, FieldErrors errors)
    {
        if (modes is null || modes.Count == 0) { errors.Required(path); return; }
        foreach (var m in modes)
            if (!AccessModes.Contains(m)) errors.Invalid(path, $"Unsupported value: \"{m}\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"");
        if (modes.Contains("ReadWriteOncePod") && modes.Count > 1) errors.Invalid(path, "may not use ReadWriteOncePod with other access modes");
    }

    private static void ValidateSize(string size, string path, FieldErrors errors)
    {
        if (!Quantity.TryParse(size, out var q)) errors.Invalid(path, $"'{size}' is not a quantity");
        else if (q <= 0) errors.Invalid(path, $"Invalid value: \"{size}\": must be greater than zero");
    }

    private static void ValidatePath(string? path, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(path)) errors.Required(field);
        else if (!path.StartsWith('/')) errors.Invalid(field, "must be an absolute path");
        else if (path.Split('/').Any(s => s == "..")) errors.Invalid(field, "must not contain '..'");
    }

    private static bool Same<T>(T a, T b) =>
        System.Text.Json.JsonSerializer.Serialize(a, ResourceJson.Options) == System.Text.Json.JsonSerializer.Serialize(b, ResourceJson.Options);
}
