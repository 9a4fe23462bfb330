using System.Globalization;
using Platform.Contracts.Resources;
using STS = Platform.Contracts.Resources.StatefulSet;

namespace Platform.ControllerManager.Controllers.StatefulSet;

/// <summary>
/// The claims of a StatefulSet's ordinal (Kubernetes' getPersistentVolumeClaims and updateStorage): one per
/// <c>volumeClaimTemplates</c> entry, named <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>, labelled with the
/// template's labels and the set's selector, and the pod volumes that mount them, which replace the template's
/// volumes of the same name.
/// </summary>
internal static class StatefulSetClaims
{
    public static string ClaimName(string template, string set, int ordinal) =>
        $"{template}-{set}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The claims to make for <paramref name="ordinal"/>, ready to create (the template's name is the pod volume's).</summary>
    public static IReadOnlyList<PersistentVolumeClaim> For(STS set, int ordinal) =>
        [.. (set.Spec.VolumeClaimTemplates ?? []).Where(t => t?.Metadata.Name is { Length: > 0 }).Select(t =>
        {
            var labels = new Dictionary<string, string>(t.Metadata.Labels ?? []);
            foreach (var (k, v) in set.Spec.Selector?.MatchLabels ?? []) labels[k] = v;
            return new PersistentVolumeClaim
            {
                ApiVersion = ResourceKinds.PersistentVolumeClaim.ApiVersion,
                Kind = ResourceKinds.PersistentVolumeClaim.Kind,
                Metadata = new ObjectMeta
                {
                    Name = ClaimName(t.Metadata.Name!, set.Metadata.Name!, ordinal),
                    Namespace = set.Metadata.Namespace,
                    Labels = labels,
                    Annotations = t.Metadata.Annotations,
                },
                Spec = t.Spec,
            };
        })];

    /// <summary>
    /// <paramref name="spec"/> with a <c>persistentVolumeClaim</c> volume per claim template, in place of a template
    /// volume of the same name.
    /// </summary>
    public static PodSpec WithClaimVolumes(PodSpec spec, STS set, int ordinal)
    {
        var templates = (set.Spec.VolumeClaimTemplates ?? []).Where(t => t?.Metadata.Name is { Length: > 0 }).Select(t => t.Metadata.Name!).ToList();
        if (templates.Count == 0) return spec;
        var volumes = (spec.Volumes ?? []).Where(v => v?.Name is null || !templates.Contains(v.Name)).ToList();
        volumes.AddRange(templates.Select(t => new Volume
        {
            Name = t,
            PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(t, set.Metadata.Name!, ordinal) },
        }));
        return spec with { Volumes = volumes };
    }
}
