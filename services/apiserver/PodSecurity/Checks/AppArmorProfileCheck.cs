using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// Baseline: the runtime's default AppArmor profile may not be overridden except by a profile loaded on the node:
/// <c>appArmorProfile.type</c> RuntimeDefault or Localhost, and the deprecated
/// <c>container.apparmor.security.beta.kubernetes.io/*</c> annotations <c>runtime/default</c> or <c>localhost/*</c>.
/// </summary>
internal static class AppArmorProfileCheck
{
    private const string AnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static PodCheck Definition { get; } = new("appArmorProfile", Level.Baseline, [new(0, V1_0)]);

    private static bool AllowedType(string type) => type is "RuntimeDefault" or "Localhost";

    private static bool AllowedAnnotation(string value) => value.Length == 0 || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var (setters, values) = CheckText.RefusedTypes(spec, p => p?.AppArmorProfile is { } a ? a.Type ?? "" : null,
            c => c?.AppArmorProfile is { } a ? a.Type ?? "" : null, AllowedType);
        var badValues = CheckText.Sorted(values);
        var annotations = (meta?.Annotations ?? [])
            .Where(a => a.Key.StartsWith(AnnotationPrefix, StringComparison.Ordinal) && !AllowedAnnotation(a.Value ?? ""))
            .Select(a => $"{a.Key}={CheckText.Quote(a.Value ?? "")}")
            .Order(StringComparer.Ordinal).ToList();
        if (annotations.Count > 0)
        {
            badValues.AddRange(annotations);
            setters.Add(CheckText.Pluralize("annotation", "annotations", annotations.Count));
        }
        return setters.Count == 0 ? null : new CheckResult(
            CheckText.Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValues.Count),
            $"{string.Join(" and ", setters)} must not set AppArmor profile type to {CheckText.JoinQuote(badValues)}");
    }
}
