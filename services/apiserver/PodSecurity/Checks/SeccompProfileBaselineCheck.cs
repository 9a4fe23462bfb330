using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// Baseline: a seccomp profile, when set, is RuntimeDefault or Localhost (never Unconfined). Before policy 1.19 the
/// profile was set by the <c>seccomp.security.alpha.kubernetes.io</c> annotations, which that version checks instead.
/// </summary>
internal static class SeccompProfileBaselineCheck
{
    public const string Id = "seccompProfile_baseline";
    private const string PodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string ContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    public static PodCheck Definition { get; } = new(Id, Level.Baseline, [new(0, V1_0), new(19, V1_19)]);

    public static bool ValidType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool ValidAnnotation(string value) =>
        value is "runtime/default" or "docker/default" || value.StartsWith("localhost/", StringComparison.Ordinal);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var annotations = meta?.Annotations ?? [];
        var forbidden = new List<string>();
        if (annotations.TryGetValue(PodAnnotation, out var pod) && !ValidAnnotation(pod ?? "")) forbidden.Add($"{PodAnnotation}={CheckText.Quote(pod ?? "")}");
        foreach (var c in CheckText.AllContainers(spec))
        {
            var key = ContainerAnnotationPrefix + c.Name;
            if (annotations.TryGetValue(key, out var v) && !ValidAnnotation(v ?? "")) forbidden.Add($"{key}={CheckText.Quote(v ?? "")}");
        }
        var sorted = CheckText.Sorted(forbidden);
        return sorted.Count == 0 ? null : new CheckResult("seccompProfile", $"forbidden {CheckText.Pluralize("annotation", "annotations", sorted.Count)} {string.Join(", ", sorted)}");
    }

    private static CheckResult? V1_19(ObjectMeta? meta, PodSpec spec)
    {
        var (setters, values) = CheckText.RefusedTypes(spec, p => p?.SeccompProfile is { } sp ? sp.Type ?? "" : null,
            c => c?.SeccompProfile is { } sp ? sp.Type ?? "" : null, t => ValidType(t));
        return setters.Count == 0 ? null : new CheckResult("seccompProfile",
            $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {CheckText.JoinQuote(CheckText.Sorted(values))}");
    }
}
