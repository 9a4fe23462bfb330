using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Quota;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Quota;

/// <summary>
/// Kubernetes' ResourceQuota admission, in the write transaction: a new object (or a Service whose type or ports
/// grow) is charged to every quota of its namespace that limits something it uses. When one limits its kind the
/// namespace's quotas are read FOR UPDATE, so such writers queue up and two racing creates cannot both take the last slot;
/// usage is then counted from storage (<see cref="NamespaceUsage"/>), not taken from <c>status.used</c>, so
/// enforcement never depends on a controller having caught up. As in Kubernetes the charged quotas' <c>status.used</c>
/// is updated in the same step; the controller-manager's resourcequota controller lowers it after deletions.
/// </summary>
internal static class QuotaAdmission
{
    /// <summary>Charges a new namespaced object; a new ResourceQuota also gets its <c>status</c> (hard, and used counting itself).</summary>
    public static async Task<JsonObject> AdmitCreateAsync(WriteSession w, ResourceKind kind, string ns, JsonObject body, CancellationToken ct)
    {
        var created = ResourceCodec.Decode(kind, body);
        var usage = QuotaUsage.Of(kind, created);
        await ChargeAsync(w, ns, kind, created, usage, ct);
        if (created is ResourceQuota quota) body["status"] = await StatusAsync(w, ns, quota, usage, ct);
        return body;
    }

    /// <summary>
    /// Charges what an update adds (a Service that becomes NodePort or LoadBalancer, or gains ports); a ResourceQuota
    /// whose <c>spec.hard</c> changed gets its status recounted. Status writes are the writer's own business.
    /// </summary>
    public static async Task<JsonObject> AdmitUpdateAsync(WriteSession w, ResourceKind kind, string ns, JsonObject current, JsonObject next, string? subresource, CancellationToken ct)
    {
        if (subresource is not null) return next;
        if (kind == ResourceKinds.Service)
        {
            var before = QuotaUsage.Of(kind, ResourceCodec.Decode(kind, current));
            var after = QuotaUsage.Of(kind, ResourceCodec.Decode(kind, next));
            var growth = after.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
            if (growth.Count > 0) await ChargeAsync(w, ns, kind, ResourceCodec.Decode(kind, next), growth, ct);
        }
        else if (kind == ResourceKinds.ResourceQuota)
        {
            var quota = (ResourceQuota)ResourceCodec.Decode(kind, next);
            if (!ResourceList.Same(quota.Spec.Hard, quota.Status?.Hard)) next["status"] = await StatusAsync(w, ns, quota, null, ct);
        }
        return next;
    }

    private static async Task ChargeAsync(WriteSession w, string ns, ResourceKind kind, Resource obj, Dictionary<string, decimal> delta, CancellationToken ct)
    {
        // Only writes that a quota limits queue up behind each other: a ConfigMap under a compute quota does not.
        var relevant = (await w.ListAsync(ResourceKinds.ResourceQuota, ns, forUpdate: false, ct))
            .Any(s => Limits((ResourceQuota)ResourceCodec.Decode(ResourceKinds.ResourceQuota, s.Body), kind));
        if (!relevant) return;
        var charged = new List<(StoredObject Stored, ResourceQuota Quota, List<string> Names)>();
        foreach (var stored in await w.ListAsync(ResourceKinds.ResourceQuota, ns, forUpdate: true, ct))
        {
            var quota = (ResourceQuota)ResourceCodec.Decode(ResourceKinds.ResourceQuota, stored.Body);
            var names = LimitedNames(quota, kind).ToList();
            if (names.Count == 0) continue;
            if (obj is Pod pod && PodConstraints.Missing(pod, names) is { } missing)
                throw Refused(kind, obj, $"failed quota: {stored.Name}: {missing}");
            // What the object does not use leaves the quota as it is.
            names.RemoveAll(n => delta.GetValueOrDefault(n) <= 0);
            if (names.Count > 0) charged.Add((stored, quota, names));
        }
        if (charged.Count == 0) return;
        var used = await NamespaceUsage.MeasureAsync(w, ns, charged.SelectMany(c => c.Names), ct);
        foreach (var (stored, quota, names) in charged)
        {
            var exceeded = names.Where(n => Quantity.Add(used[n], delta[n]) > Quantity.Parse(quota.Spec.Hard![n])).Order(StringComparer.Ordinal).ToList();
            if (exceeded.Count == 0) continue;
            string List(Func<string, string> value) => string.Join(",", exceeded.Select(n => $"{n}={value(n)}"));
            throw Refused(kind, obj, $"exceeded quota: {stored.Name}, requested: {List(n => QuotaUsage.Format(n, delta[n]))}, " +
                $"used: {List(n => QuotaUsage.Format(n, used[n]))}, limited: {List(n => quota.Spec.Hard![n])}");
        }
        foreach (var (stored, quota, names) in charged)
        {
            var status = new ResourceList(quota.Status?.Used ?? new ResourceList());
            foreach (var n in names) status[n] = QuotaUsage.Format(n, Quantity.Add(used[n], delta[n]));
            var body = stored.CloneBody();
            body["status"] = StatusNode(quota.Spec.Hard!, status);
            await w.UpdateAsync(ResourceKinds.ResourceQuota, body, ct);
        }
    }

    private static IEnumerable<string> LimitedNames(ResourceQuota quota, ResourceKind kind) =>
        (quota.Spec.Hard?.Keys ?? Enumerable.Empty<string>()).Where(n => QuotaResourceNames.KindOf(n) == kind);

    private static bool Limits(ResourceQuota quota, ResourceKind kind) => LimitedNames(quota, kind).Any();

    /// <summary>The status of <paramref name="quota"/> counted from storage, plus <paramref name="self"/> (what the quota being created uses itself).</summary>
    private static async Task<JsonNode> StatusAsync(WriteSession w, string ns, ResourceQuota quota, Dictionary<string, decimal>? self, CancellationToken ct)
    {
        var hard = quota.Spec.Hard ?? new ResourceList();
        var used = await NamespaceUsage.MeasureAsync(w, ns, hard.Keys, ct);
        foreach (var (n, v) in self ?? []) if (used.TryGetValue(n, out var counted)) used[n] = Quantity.Add(counted, v);
        return StatusNode(hard, QuotaUsage.ToResourceList(used));
    }

    /// <summary><c>status.hard</c> is the spec's; <c>status.used</c> names exactly what the quota limits.</summary>
    private static JsonNode StatusNode(ResourceList hard, ResourceList used)
    {
        var status = new ResourceQuotaStatus
        {
            Hard = new ResourceList(hard),
            Used = new ResourceList(used.Where(kv => hard.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value)),
        };
        return JsonSerializer.SerializeToNode(status, ResourceJson.Options)!;
    }

    /// <summary>Kubernetes' admission wording: <c>pods "web" is forbidden: exceeded quota: ...</c>.</summary>
    private static ApiProblem Refused(ResourceKind kind, Resource obj, string reason) =>
        ApiProblem.Forbidden($"{kind.QualifiedPlural} \"{obj.Metadata.Name}\" is forbidden: {reason}");
}
