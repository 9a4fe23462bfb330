using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity;

/// <summary>The namespace side: who may set the labels, what values they take, and what a stricter enforce level means for the pods already there.</summary>
internal sealed partial class PodSecurityAdmission
{
    private const int MaxPodsToCheck = 3000;

    /// <summary>
    /// Setting, changing or removing a <c>pod-security.kubernetes.io/*</c> label takes an admin token: the level is the
    /// cluster operator's decision, not the namespace's tenants'. Then the labels must parse (422 naming each label
    /// and the values it takes; an update may keep errors the namespace already had). An exempt namespace's labels
    /// are answered with a warning that they are ignored; a stricter enforce level with warnings naming the existing
    /// pods that violate it (they keep running).
    /// </summary>
    private async Task<IReadOnlyList<string>> AdmitNamespaceAsync(WriteSession w, Caller caller, JsonObject? current, JsonObject next, CancellationToken ct)
    {
        var ns = (Namespace)ResourceCodec.Decode(ResourceKinds.Namespace, next);
        var old = current is null ? null : (Namespace)ResourceCodec.Decode(ResourceKinds.Namespace, current);
        var name = ns.Metadata.Name ?? "";
        CheckLabelChange(caller, old, ns);
        var policy = NamespacePolicy.FromLabels(ns.Metadata.Labels, _defaults, out var errors);
        if (errors.Count > 0)
        {
            NamespacePolicy.FromLabels(old?.Metadata.Labels, _defaults, out var oldErrors);
            if (old is null || oldErrors.Count == 0 || !errors.SequenceEqual(oldErrors)) throw ApiProblem.Invalid("Namespace", name, errors);
        }
        if (_exempt.Contains(name)) return ExemptWarning(name, policy, ns.Metadata.Labels) is { } warning ? [warning] : [];
        if (old is null) return [];
        var before = NamespacePolicy.FromLabels(old.Metadata.Labels, _defaults, out _);
        if (policy.Enforce == before.Enforce || policy.Enforce.Level == Level.Privileged) return [];
        if (policy.Enforce.Version == before.Enforce.Version && policy.Enforce.Level <= before.Enforce.Level) return [];
        return await ExistingPodWarningsAsync(w, name, policy.Enforce, ct);
    }

    /// <summary>
    /// 403 when the write adds, changes or removes a <c>pod-security.kubernetes.io/*</c> label and the caller is not an
    /// admin: an admin token (<c>system:masters</c>), or a caller RBAC lets update namespaces at the cluster scope. A
    /// RoleBinding that lets a team update its own Namespace object does not let it choose its level.
    /// </summary>
    private void CheckLabelChange(Caller caller, Namespace? old, Namespace next)
    {
        var changed = PodSecurityLabels.Changed(old?.Metadata.Labels, next.Metadata.Labels);
        if (changed.Count == 0 || authorizer.Allows(caller, new RequestAttributes("update", "", ResourceKinds.Namespace.Plural, null, next.Metadata.Name, null))) return;
        throw ApiProblem.Forbidden($"namespaces \"{next.Metadata.Name}\" is forbidden: User \"{caller.User}\" may not set " +
            $"{string.Join(", ", changed.Select(l => $"metadata.labels[{l}]"))}: a namespace's Pod Security level is set by an admin " +
            "(an admin token, or RBAC's update of namespaces at the cluster scope)");
    }

    /// <summary>Kubernetes' EvaluatePodsInNamespace: one warning per distinct reason set, naming the first pod (by name) and how many others.</summary>
    private static async Task<List<string>> ExistingPodWarningsAsync(WriteSession w, string ns, LevelVersion enforce, CancellationToken ct)
    {
        var pods = (await w.ListAsync(ResourceKinds.Pod, ns, forUpdate: false, ct)).Select(s => (Pod)ResourceCodec.Decode(ResourceKinds.Pod, s.Body)).ToList();
        // One pod per controller first (its siblings share the template), as Kubernetes orders them before cutting off.
        var seen = new HashSet<string>();
        var first = new List<Pod>();
        var siblings = new List<Pod>();
        foreach (var pod in pods)
        {
            var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o?.Controller == true)?.Uid;
            (controller is null || seen.Add(controller) ? first : siblings).Add(pod);
        }
        var ordered = first.Concat(siblings).ToList();
        var checkedPods = ordered.Take(MaxPodsToCheck).ToList();
        var byReason = new Dictionary<string, (string Pod, int Count)>();
        foreach (var pod in checkedPods)
        {
            var result = PodSecurityEvaluator.Evaluate(enforce, pod.Metadata, pod.Spec);
            if (result.Allowed) continue;
            var reason = result.ForbiddenReason;
            byReason[reason] = byReason.TryGetValue(reason, out var c)
                ? (string.CompareOrdinal(pod.Metadata.Name, c.Pod) < 0 ? pod.Metadata.Name! : c.Pod, c.Count + 1)
                : (pod.Metadata.Name!, 1);
        }
        var warnings = new List<string>();
        if (checkedPods.Count < ordered.Count)
            warnings.Add($"new PodSecurity enforce level only checked against the first {checkedPods.Count} of {ordered.Count} existing pods");
        if (byReason.Count > 0) warnings.Add($"existing pods in namespace \"{ns}\" violate the new PodSecurity enforce level \"{enforce}\"");
        warnings.AddRange(byReason.Select(r => r.Value.Count switch
        {
            1 => $"{r.Value.Pod}: {r.Key}",
            2 => $"{r.Value.Pod} (and 1 other pod): {r.Key}",
            _ => $"{r.Value.Pod} (and {r.Value.Count - 1} other pods): {r.Key}",
        }).Order(StringComparer.Ordinal));
        return warnings;
    }

    private string? ExemptWarning(string ns, NamespacePolicy policy, IReadOnlyDictionary<string, string>? labels)
    {
        if (policy.FullyPrivileged || policy.Equivalent(_defaults)) return null;
        labels ??= new Dictionary<string, string>();
        var parts = new List<string>();
        foreach (var (mode, lv, level, version) in new[]
        {
            ("enforce", policy.Enforce, PodSecurityLabels.Enforce, PodSecurityLabels.EnforceVersion),
            ("audit", policy.Audit, PodSecurityLabels.Audit, PodSecurityLabels.AuditVersion),
            ("warn", policy.Warn, PodSecurityLabels.Warn, PodSecurityLabels.WarnVersion),
        })
        {
            if (lv.Level != Level.Privileged && (labels.ContainsKey(level) || labels.ContainsKey(version))) parts.Add($"{mode}={lv}");
        }
        return $"namespace \"{ns}\" is exempt from Pod Security, and the policy ({string.Join(", ", parts)}) will be ignored";
    }
}
