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
/// <c>warn</c> answers <c>Warning</c> headers, <c>audit</c> logs the violation with its audit annotation. Deployments
/// and ReplicaSets are only warned and audited: their pods are checked when they are created. Updates of a pod are
/// checked again only when they change what the checks read, so a pod admitted before its namespace became stricter
/// can still be relabelled or finalized. Setting the labels is an admin's act (<see cref="CheckLabelChange"/>).
/// </summary>
internal sealed partial class PodSecurityAdmission(IOptions<PodSecurityOptions> options, Authorizer authorizer, ILogger<PodSecurityAdmission> log)
{
    private static readonly string[] CheckedAnnotationPrefixes =
        ["container.apparmor.security.beta.kubernetes.io/", "seccomp.security.alpha.kubernetes.io/pod", "container.seccomp.security.alpha.kubernetes.io/"];

    private readonly NamespacePolicy _defaults = options.Value.ToPolicy();
    private readonly HashSet<string> _exempt = [.. options.Value.Exempt];

    /// <summary>
    /// Admits a create (<paramref name="current"/> null) or update of <paramref name="next"/>; throws the refusal and
    /// returns the warnings for the response. Subresource writes (status, scale) are not Pod Security's business.
    /// </summary>
    public async Task<IReadOnlyList<string>> AdmitAsync(WriteSession w, Caller caller, ResourceKind kind, JsonObject? current, JsonObject next,
        string? subresource, CancellationToken ct)
    {
        if (subresource is not null) return [];
        if (kind == ResourceKinds.Namespace) return await AdmitNamespaceAsync(w, caller, current, next, ct);
        var isPod = kind == ResourceKinds.Pod;
        if (!isPod && kind != ResourceKinds.Deployment && kind != ResourceKinds.ReplicaSet) return [];
        var ns = (string?)next["metadata"]?["namespace"];
        if (string.IsNullOrEmpty(ns) || _exempt.Contains(ns)) return [];
        if (isPod && current is not null && !SignificantPodUpdate(current, next)) return [];
        var (policy, labelErrors) = await PolicyOfAsync(w, ns, ct);
        if (labelErrors.Count == 0 && (isPod ? policy.FullyPrivileged : policy.Warn.Level == Level.Privileged && policy.Audit.Level == Level.Privileged))
            return [];
        var (meta, spec) = PodOf(kind, next);
        if (spec is null) return [];
        var request = new AuditedRequest(current is null ? "create" : "update", kind, ns, meta.Name ?? "", caller.Name, labelErrors);
        return Evaluate(policy, meta, spec, request, enforce: isPod);
    }

    /// <summary>Kubernetes' EvaluatePod: enforce (pods only), then audit, then warn when the pod was allowed.</summary>
    private List<string> Evaluate(NamespacePolicy policy, ObjectMeta meta, PodSpec spec, AuditedRequest request, bool enforce)
    {
        var cache = new Dictionary<LevelVersion, PodSecurityResult>();
        PodSecurityResult Run(LevelVersion lv)
        {
            if (!cache.TryGetValue(lv, out var r)) cache[lv] = r = PodSecurityEvaluator.Evaluate(lv, meta, spec);
            return r;
        }
        ApiProblem? denied = null;
        if (enforce && Run(policy.Enforce) is { Allowed: false } e)
            denied = ApiProblem.Forbidden($"{request.Kind.Plural} \"{request.Name}\" is forbidden: violates PodSecurity \"{policy.Enforce}\": {e.ForbiddenDetail}");
        var audit = Run(policy.Audit);
        if (denied is not null || !audit.Allowed || request.LabelErrors.Count > 0)
        {
            var violations = audit.Allowed ? "" : $"would violate PodSecurity \"{policy.Audit}\": {audit.ForbiddenDetail}";
            var error = request.LabelErrors.Count == 0 ? "" : "Failed to parse policy: " + string.Join("; ", request.LabelErrors);
            Audited(request.Operation, request.Kind.Plural, request.Namespace, request.Name, request.User, denied is null ? "allow" : "deny",
                enforce ? policy.Enforce.ToString() : "", violations, error);
        }
        if (denied is not null) throw denied;
        var warn = Run(policy.Warn);
        return warn.Allowed ? [] : [$"would violate PodSecurity \"{policy.Warn}\": {warn.ForbiddenDetail}"];
    }

    private async Task<(NamespacePolicy Policy, List<FieldError> Errors)> PolicyOfAsync(WriteSession w, string ns, CancellationToken ct)
    {
        var stored = await w.GetAsync(ResourceKinds.Namespace, "", ns, ct);
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
        // A workload's messages and log lines name the workload; its template's metadata is what the checks read.
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

    private sealed record AuditedRequest(string Operation, ResourceKind Kind, string Namespace, string Name, string User, List<FieldError> LabelErrors);

    // The audit log is not built yet: this line carries what its event would, under Kubernetes' annotation keys.
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
        Message = "PodSecurity {Operation} {Resource} {Namespace}/{Name} by {User}: {Decision}; " +
                  PodSecurityLabels.EnforcePolicyAnnotation + "={EnforcePolicy} " + PodSecurityLabels.AuditViolationsAnnotation + "={AuditViolations} error={Error}")]
    private partial void Audited(string operation, string resource, string @namespace, string name, string user, string decision,
        string enforcePolicy, string auditViolations, string error);
}
