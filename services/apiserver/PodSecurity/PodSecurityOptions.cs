using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity;

/// <summary>
/// <c>ApiServer:PodSecurity</c>: the policy of namespaces without <c>pod-security.kubernetes.io/*</c> labels (Kubernetes'
/// PodSecurityConfiguration <c>defaults</c>) and the namespaces exempt from it. Validated by <see cref="PodSecurityOptionsValidator"/>.
/// </summary>
public sealed class PodSecurityOptions
{
    public const string Section = "ApiServer:PodSecurity";

    /// <summary><c>ApiServer:PodSecurity:DefaultEnforce</c>: the level pods are refused below (<c>privileged</c>, <c>baseline</c>, <c>restricted</c>).</summary>
    public string DefaultEnforce { get; set; } = "baseline";

    /// <summary><c>ApiServer:PodSecurity:DefaultEnforceVersion</c>: <c>latest</c> or <c>v1.N</c>.</summary>
    public string DefaultEnforceVersion { get; set; } = "latest";

    /// <summary><c>ApiServer:PodSecurity:DefaultWarn</c>: the level below which pods and workload templates get <c>Warning</c> headers.</summary>
    public string DefaultWarn { get; set; } = "baseline";

    /// <summary><c>ApiServer:PodSecurity:DefaultWarnVersion</c>: <c>latest</c> or <c>v1.N</c>.</summary>
    public string DefaultWarnVersion { get; set; } = "latest";

    /// <summary><c>ApiServer:PodSecurity:DefaultAudit</c>: the level below which pods and workload templates are logged with an audit annotation.</summary>
    public string DefaultAudit { get; set; } = "privileged";

    /// <summary><c>ApiServer:PodSecurity:DefaultAuditVersion</c>: <c>latest</c> or <c>v1.N</c>.</summary>
    public string DefaultAuditVersion { get; set; } = "latest";

    /// <summary>
    /// <c>ApiServer:PodSecurity:ExemptNamespaces</c>: namespaces whose pods are not checked at all, whatever their
    /// labels say; when unset, <c>kube-system</c> and <c>kube-node-lease</c>.
    /// </summary>
    public List<string>? ExemptNamespaces { get; set; }

    internal IReadOnlyList<string> Exempt => ExemptNamespaces ?? [SystemNamespaces.KubeSystem, SystemNamespaces.NodeLease];

    /// <summary>The defaults as a policy; only call on validated options.</summary>
    internal NamespacePolicy ToPolicy()
    {
        static LevelVersion Lv(string level, string version) =>
            LevelVersion.TryParseLevel(level, out var l) && PolicyVersion.TryParse(version, out var v)
                ? new LevelVersion(l, v)
                : throw new InvalidOperationException($"{Section}: invalid level '{level}' or version '{version}' passed validation");
        return new NamespacePolicy(Lv(DefaultEnforce, DefaultEnforceVersion), Lv(DefaultAudit, DefaultAuditVersion), Lv(DefaultWarn, DefaultWarnVersion));
    }
}
