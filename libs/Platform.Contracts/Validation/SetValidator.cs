using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// DaemonSet, StatefulSet and ControllerRevision, with Kubernetes' rules (pkg/apis/apps/validation): update strategies,
/// rolling update bounds, pod management policy, claim templates, and what may change on update.
/// </summary>
public static class SetValidator
{
    public static void ValidateDaemonSet(DaemonSetSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        WorkloadValidator.Common(null, spec.MinReadySeconds, spec.Selector, spec.Template, errors, "DaemonSet");
        if (spec.RevisionHistoryLimit < 0) errors.Invalid("spec.revisionHistoryLimit", "must be >= 0");
        var strategy = spec.UpdateStrategy;
        if (strategy?.Type is { } t && t is not ("RollingUpdate" or "OnDelete"))
            errors.Invalid("spec.updateStrategy.type", $"Unsupported value: \"{t}\": supported values: \"OnDelete\", \"RollingUpdate\"");
        if (strategy?.Type == "OnDelete" && strategy.RollingUpdate is not null)
            errors.Invalid("spec.updateStrategy.rollingUpdate", "may not be set when updateStrategy.type is OnDelete");
        if (strategy?.RollingUpdate is not { } ru) return;
        const string p = "spec.updateStrategy.rollingUpdate";
        var surge = WorkloadValidator.CheckIntOrPercent(ru.MaxSurge, p + ".maxSurge", errors);
        var unavailable = WorkloadValidator.CheckIntOrPercent(ru.MaxUnavailable, p + ".maxUnavailable", errors);
        if (surge <= 0 && unavailable == 0) errors.Invalid(p + ".maxUnavailable", "may not be 0 when `maxSurge` is 0");
        if (surge > 0 && unavailable > 0) errors.Invalid(p + ".maxUnavailable", "may not be set when `maxSurge` is set");
        if (IsPercent(ru.MaxUnavailable) && unavailable > 100) errors.Invalid(p + ".maxUnavailable", "must not be greater than 100%");
        if (IsPercent(ru.MaxSurge) && surge > 100) errors.Invalid(p + ".maxSurge", "must not be greater than 100%");
    }

    public static void ValidateStatefulSet(StatefulSetSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        var claims = spec.VolumeClaimTemplates ?? [];
        ValidateClaimTemplates(claims, errors);
        // The template's volumeMounts may name claim templates: they become the pod's volumes of those names.
        var template = spec.Template is { Spec: { } ps } t
            ? t with { Spec = ps with { Volumes = [.. ps.Volumes ?? [], .. claims.Where(c => c?.Metadata.Name is { Length: > 0 } n && ps.Volumes?.Any(v => v?.Name == n) != true)
                .Select(c => new Volume { Name = c.Metadata.Name, EmptyDir = new EmptyDirVolumeSource() })] } }
            : spec.Template;
        WorkloadValidator.Common(spec.Replicas, spec.MinReadySeconds, spec.Selector, template, errors, "StatefulSet");
        if (spec.RevisionHistoryLimit < 0) errors.Invalid("spec.revisionHistoryLimit", "must be >= 0");
        if (!string.IsNullOrEmpty(spec.ServiceName)) MetadataValidator.ValidateName(spec.ServiceName, dnsLabel: true, "spec.serviceName", errors);
        if (spec.PodManagementPolicy is { } pmp && pmp is not ("OrderedReady" or "Parallel"))
            errors.Invalid("spec.podManagementPolicy", $"Unsupported value: \"{pmp}\": supported values: \"OrderedReady\", \"Parallel\"");
        var strategy = spec.UpdateStrategy;
        if (strategy?.Type is { } t2 && t2 is not ("RollingUpdate" or "OnDelete"))
            errors.Invalid("spec.updateStrategy.type", $"Unsupported value: \"{t2}\": supported values: \"OnDelete\", \"RollingUpdate\"");
        if (strategy?.Type == "OnDelete" && strategy.RollingUpdate is not null)
            errors.Invalid("spec.updateStrategy.rollingUpdate", "only allowed for updateStrategy 'RollingUpdate'");
        if (strategy?.RollingUpdate is { } ru)
        {
            if (ru.Partition < 0) errors.Invalid("spec.updateStrategy.rollingUpdate.partition", "must be greater than or equal to 0");
            const string mu = "spec.updateStrategy.rollingUpdate.maxUnavailable";
            var unavailable = WorkloadValidator.CheckIntOrPercent(ru.MaxUnavailable, mu, errors);
            if (unavailable == 0) errors.Invalid(mu, "must be greater than 0");
            if (IsPercent(ru.MaxUnavailable) && unavailable > 100) errors.Invalid(mu, "must not be greater than 100%");
        }
        if (spec.PersistentVolumeClaimRetentionPolicy is { } policy)
        {
            CheckRetention(policy.WhenDeleted, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", errors);
            CheckRetention(policy.WhenScaled, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", errors);
        }
    }

    private static void CheckRetention(string? value, string path, FieldErrors errors)
    {
        if (value is not null and not ("Retain" or "Delete")) errors.Invalid(path, $"Unsupported value: \"{value}\": supported values: \"Retain\", \"Delete\"");
    }

    /// <summary>Each template is a PersistentVolumeClaim: a unique name, and a claim's spec.</summary>
    private static void ValidateClaimTemplates(List<PersistentVolumeClaim> claims, FieldErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < claims.Count; i++)
        {
            var p = $"spec.volumeClaimTemplates[{i}]";
            var c = claims[i];
            if (c is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(c.Metadata.Name)) errors.Required(p + ".metadata.name");
            else
            {
                MetadataValidator.ValidateName(c.Metadata.Name, dnsLabel: false, p + ".metadata.name", errors);
                if (!seen.Add(c.Metadata.Name)) errors.Invalid(p + ".metadata.name", $"Duplicate value: \"{c.Metadata.Name}\"");
            }
            MetadataValidator.ValidateLabels(c.Metadata.Labels, p + ".metadata.labels", errors);
            if (c.Spec is null) errors.Required(p + ".spec");
            else StorageValidator.ValidateClaimSpec(c.Spec, p + ".spec", errors);
        }
    }

    public static void ValidateRevision(ControllerRevision r, FieldErrors errors)
    {
        if (r.Data is null) errors.Required("data");
        if (r.Revision < 0) errors.Invalid("revision", "must be greater than or equal to 0");
    }

    /// <summary>Kubernetes forbids changing a StatefulSet's spec beyond these fields, and a DaemonSet's selector.</summary>
    public static void ValidateUpdate(Resource r, Resource old, FieldErrors errors)
    {
        switch (r, old)
        {
            case (DaemonSet a, DaemonSet b) when !JsonEqual(a.Spec?.Selector, b.Spec.Selector):
                errors.Immutable("spec.selector");
                break;
            case (StatefulSet a, StatefulSet b) when a.Spec is not null && !JsonEqual(Fixed(a.Spec), Fixed(b.Spec)):
                errors.Invalid("spec", "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
                    + "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
                break;
            case (ControllerRevision a, ControllerRevision b) when !JsonEqual(a.Data, b.Data):
                errors.Immutable("data");
                break;
        }
    }

    /// <summary>The spec without the fields an update may change: selector, serviceName, podManagementPolicy, volumeClaimTemplates.</summary>
    private static StatefulSetSpec Fixed(StatefulSetSpec s) => s with
    {
        Replicas = null, Template = null, UpdateStrategy = null, RevisionHistoryLimit = null,
        PersistentVolumeClaimRetentionPolicy = null, MinReadySeconds = null,
    };

    private static bool IsPercent(IntOrString? v) => v is { StringValue: { } s } && s.EndsWith('%');

    private static bool JsonEqual<T>(T a, T b) =>
        JsonSerializer.Serialize(a, ResourceJson.Options) == JsonSerializer.Serialize(b, ResourceJson.Options);
}
