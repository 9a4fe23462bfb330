using System.Text.Json.Nodes;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Quota;

/// <summary>
/// Enforces a namespace's ResourceQuotas when a pod is created. The quotas are read FOR UPDATE, so pod creations
/// in a namespace with a quota are serialized and two racing pods cannot both take the last slot.
/// </summary>
internal static class QuotaAdmission
{
    public static async Task CheckPodAsync(WriteSession w, string ns, JsonObject podJson, CancellationToken ct)
    {
        var quotas = await w.ListAsync(ResourceKinds.ResourceQuota, ns, forUpdate: true, ct);
        if (quotas.Count == 0) return;
        var pod = (Pod)ResourceCodec.Decode(ResourceKinds.Pod, podJson);
        var pods = await w.ListAsync(ResourceKinds.Pod, ns, forUpdate: false, ct);
        var used = new Dictionary<string, decimal>();
        foreach (var stored in pods)
        {
            var p = (Pod)ResourceCodec.Decode(ResourceKinds.Pod, stored.Body);
            if (p.Status?.Phase is "Succeeded" or "Failed") continue;
            foreach (var (k, v) in PodUsage.Of(p)) used[k] = used.GetValueOrDefault(k) + v;
        }
        var requested = PodUsage.Of(pod);
        foreach (var stored in quotas)
        {
            var quota = (ResourceQuota)ResourceCodec.Decode(ResourceKinds.ResourceQuota, stored.Body);
            var exceeded = new List<string>();
            var missing = new List<string>();
            foreach (var (key, hardText) in quota.Spec?.Hard ?? [])
            {
                var k = PodUsage.Canonical(key);
                if (k != "pods" && PodUsage.Missing(pod, k)) { missing.Add(k); continue; }
                var hard = PodUsage.HardValue(key, hardText);
                if (used.GetValueOrDefault(k) + requested[k] > hard) exceeded.Add(k);
            }
            var name = stored.Name;
            if (missing.Count > 0)
                throw ApiProblem.Forbidden($"failed quota: {name}: must specify {string.Join(",", missing)} for every container");
            if (exceeded.Count > 0)
            {
                string List(Func<string, string> f) => string.Join(",", exceeded.Select(k => $"{k}={f(k)}"));
                throw ApiProblem.Forbidden(
                    $"exceeded quota: {name}, requested: {List(k => PodUsage.Format(k, requested[k]))}, used: {List(k => PodUsage.Format(k, used.GetValueOrDefault(k)))}, " +
                    $"limited: {List(k => quota.Spec!.Hard!.TryGetValue(k, out var h) ? h : quota.Spec.Hard[k.Split('.')[1]])}");
            }
        }
    }
}
