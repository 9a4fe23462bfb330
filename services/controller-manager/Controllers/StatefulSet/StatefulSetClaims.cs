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
    /// <summary>One claim to make for an ordinal: the pod volume it backs, the claim's metadata and its spec.</summary>
    public sealed record Claim(string VolumeName, ObjectMeta Metadata, StatefulSetClaimTemplateSpec? Spec);

    public static string ClaimName(string template, string set, int ordinal) =>
        $"{template}-{set}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    public static IReadOnlyList<Claim> For(STS set, int ordinal) =>
        [.. (set.Spec.VolumeClaimTemplates ?? []).Where(t => t?.Metadata.Name is { Length: > 0 }).Select(t =>
        {
            var labels = new Dictionary<string, string>(t.Metadata.Labels ?? []);
            foreach (var (k, v) in set.Spec.Selector?.MatchLabels ?? []) labels[k] = v;
            return new Claim(t.Metadata.Name!, new ObjectMeta
            {
                Name = ClaimName(t.Metadata.Name!, set.Metadata.Name!, ordinal),
                Namespace = set.Metadata.Namespace,
                Labels = labels,
                Annotations = t.Metadata.Annotations,
            }, t.Spec);
        })];

    /// <summary>
    /// <paramref name="spec"/> with a volume per claim, made by <paramref name="volume"/> from the volume and claim
    /// names (a <c>persistentVolumeClaim.claimName</c> volume), in place of a template volume of the same name.
    /// </summary>
    public static PodSpec WithClaimVolumes(PodSpec spec, STS set, int ordinal, Func<string, string, Volume> volume)
    {
        var claims = For(set, ordinal);
        if (claims.Count == 0) return spec;
        var byName = claims.ToDictionary(c => c.VolumeName, c => volume(c.VolumeName, c.Metadata.Name!), StringComparer.Ordinal);
        var volumes = (spec.Volumes ?? []).Where(v => v?.Name is null || !byName.ContainsKey(v.Name)).ToList();
        volumes.AddRange(claims.Select(c => byName[c.VolumeName]));
        return spec with { Volumes = volumes };
    }
}
