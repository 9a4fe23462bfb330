using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity;

/// <summary>
/// Pod Security admission as kube-apiserver runs it. Each namespace's labels (or <see cref="PodSecurityOptions"/>'
/// defaults) choose three level-versions: <c>enforce</c> refuses a pod that violates it (403, Kubernetes' message),
/// <c>warn</c> answers <c>Warning</c> headers, <c>audit</c> puts the violation on the request's audit event (Kubernetes'
/// <c>pod-security.kubernetes.io/audit-violations</c> annotation, next to <c>enforce-policy</c>). Deployments
/// and ReplicaSets are only warned and audited: their pods are checked when they are created. Updates of a pod are
/// checked again only when they change what the checks read, so a pod admitted before its namespace became stricter
/// can still be relabelled or finalized. Setting the labels is an admin's act (<see cref="CheckLabelChange"/>).
/// </summary>
internal sealed partial class PodSecurityAdmission(IOptions<PodSecurityOptions> options, Authorizer authorizer)
{
    private static readonly string[] CheckedAnnotationPrefixes =
        ["container.apparmor.security.beta.kubernetes.io/", "seccomp.security.alpha.kubernetes.io/pod", "container.seccomp.security.alpha.kubernetes.io/"];

    private const string ExemptAnnotation = PodSecurityLabels.Prefix + "exempt";
    private const string ErrorAnnotation = PodSecurityLabels.Prefix + "error";

    private readonly NamespacePolicy _defaults = options.Value.ToPolicy();
    private readonly HashSet<string> _exempt = [.. options.Value.Exempt];

    /// <summary>
    /// Admits a create (<paramref name="current"/> null) or update of <paramref name="next"/>; throws the refusal and
    /// returns the warnings for the response, and puts its audit annotations in <paramref name="audit"/> (refused or
    /// not). Subresource writes (status, scale) are not Pod Security's business.
    /// </summary>
    public async Task<IReadOnlyList<string>> AdmitAsync(WriteSession w, Caller caller, ResourceKind kind, JsonObject? current, JsonObject next,
        string? subresource, IDictionary<string, string>? audit, CancellationToken ct)
    {
        if (subresource is not null) return [];
        if (kind == ResourceKinds.Namespace) return await AdmitNamespaceAsync(w, caller, current, next, ct);
        var isPod = kind == ResourceKinds.Pod;
        if (!isPod && kind != ResourceKinds.Deployment && kind != ResourceKinds.ReplicaSet) return [];
        var ns = (string?)next["metadata"]?["namespace"];
        if (string.IsNullOrEmpty(ns)) return [];
        if (_exempt.Contains(ns))
        {
            audit?.TryAdd(ExemptAnnotation, "namespace");
            return [];
        }
        if (isPod && current is not null && !SignificantPodUpdate(current, next)) return [];
        var (policy, labelErrors) = await PolicyOfAsync(w, ns, ct);
        if (labelErrors.Count == 0 && (isPod ? policy.FullyPrivileged : policy.Warn.Level == Level.Privileged && policy.Audit.Level == Level.Privileged))
            return [];
        var (meta, spec) = PodOf(kind, next);
        if (spec is null) return [];
        audit ??= new Dictionary<string, string>();
        if (labelErrors.Count > 0) audit[ErrorAnnotation] = "Failed to parse policy: " + string.Join("; ", labelErrors);
        return Evaluate(policy, meta, spec, kind, audit, enforce: isPod);
    }

    /// <summary>Kubernetes' EvaluatePod: enforce (pods only), then audit, then warn when the pod was allowed.</summary>
    private static List<string> Evaluate(NamespacePolicy policy, ObjectMeta meta, PodSpec spec, ResourceKind kind, IDictionary<string, string> audit, bool enforce)
    {
        var cache = new Dictionary<LevelVersion, PodSecurityResult>();
        PodSecurityResult Run(LevelVersion lv)
        {
            if (!cache.TryGetValue(lv, out var r)) cache[lv] = r = PodSecurityEvaluator.Evaluate(lv, meta, spec);
            return r;
        }
        ApiProblem? denied = null;
        if (enforce)
        {
            audit[PodSecurityLabels.EnforcePolicyAnnotation] = policy.Enforce.ToString();
            if (Run(policy.Enforce) is { Allowed: false } e)
                denied = ApiProblem.Forbidden($"{kind.Plural} \"{meta.Name}\" is forbidden: violates PodSecurity \"{policy.Enforce}\": {e.ForbiddenDetail}");
        }
        if (Run(policy.Audit) is { Allowed: false } a)
            audit[PodSecurityLabels.AuditViolationsAnnotation] = $"would violate PodSecurity \"{policy.Audit}\": {a.ForbiddenDetail}";
        if (denied is not null) throw denied;
        var warn = Run(policy.Warn);
        return warn.Allowed ? [] : [$"would violate PodSecurity \"{policy.Warn}\": {warn.ForbiddenDetail}"];
    }

    private async Task<(NamespacePolicy Policy, List<FieldError> Errors)> PolicyOfAsync(WriteSession w, string ns, CancellationToken ct)
    {
        var stored = await w.PeekAsync(ResourceKinds.Namespace, "", ns, ct);
        var labels = stored is null ? null : ResourceCodec.Decode(ResourceKinds.Namespace, stored.Body).Metadata.Labels;
        var policy = NamespacePolicy.FromLabels(labels, _defaults, out var errors);
        return (policy, errors);
    }

    private static (ObjectMeta Meta, PodSpec? Spec) PodOf(ResourceKind kind, JsonObject body)
    {
        var r = ResourceCodec.Decode(kind, body);
        var template = r switch
        {
            Pod p => new PodTemplateSpec { Metadata = p.Metadata, Spec = p.Spec },
            Deployment d => d.Spec?.Template,
            ReplicaSet rs => rs.Spec?.Template,
            _ => null,
        };
        // A workload's messages name the workload; its template's metadata is what the checks read.
        var meta = (template?.Metadata ?? new ObjectMeta()) with { Name = r.Metadata.Name };
        return (meta, template?.Spec);
    }

    /// <summary>
    /// Whether an update changes what the checks read: the spec (but the node it is bound to) or the AppArmor and
    /// seccomp annotations. Kubernetes' pod spec is immutable but for images; here more of it may change, so all of it counts.
    /// </summary>
    private static bool SignificantPodUpdate(JsonObject current, JsonObject next)
    {
        static JsonNode? Spec(JsonObject pod)
        {
            var spec = pod["spec"]?.DeepClone() as JsonObject;
            spec?.Remove("nodeName");
            return spec;
        }
        static Dictionary<string, string?> Checked(JsonObject pod) => (pod["metadata"]?["annotations"] as JsonObject ?? [])
            .Where(a => CheckedAnnotationPrefixes.Any(p => a.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(a => a.Key, a => a.Value?.ToJsonString());
        var (before, after) = (Checked(current), Checked(next));
        return !JsonNode.DeepEquals(Spec(current), Spec(next))
            || before.Count != after.Count || before.Any(a => !after.TryGetValue(a.Key, out var v) || v != a.Value);
    }

}
