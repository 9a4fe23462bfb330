namespace Platform.ApiServer.PodSecurity;

/// <summary>The namespace labels that choose its Pod Security policy, as Kubernetes names them.</summary>
internal static class PodSecurityLabels
{
    public const string Prefix = "pod-security.kubernetes.io/";
    public const string Enforce = Prefix + "enforce";
    public const string EnforceVersion = Prefix + "enforce-version";
    public const string Audit = Prefix + "audit";
    public const string AuditVersion = Prefix + "audit-version";
    public const string Warn = Prefix + "warn";
    public const string WarnVersion = Prefix + "warn-version";

    /// <summary>Annotation keys Kubernetes puts on the request's audit event.</summary>
    public const string AuditViolationsAnnotation = Prefix + "audit-violations";
    public const string EnforcePolicyAnnotation = Prefix + "enforce-policy";

    /// <summary>The labels under <see cref="Prefix"/> that differ between two label sets (added, removed or changed).</summary>
    public static List<string> Changed(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after)
    {
        before ??= new Dictionary<string, string>();
        after ??= new Dictionary<string, string>();
        return before.Keys.Union(after.Keys)
            .Where(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
