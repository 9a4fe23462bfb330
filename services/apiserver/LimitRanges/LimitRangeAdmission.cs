using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Validation;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.LimitRanges;

/// <summary>
/// Kubernetes' LimitRanger admission for new pods, in the write transaction and before quota: the namespace's
/// LimitRanges fill in the requests and limits containers left out (<see cref="LimitRangeDefaults"/>), the pod is
/// validated again (a default limit may fall below a request the pod set), then every LimitRange's bounds must hold
/// (<see cref="LimitRangeBounds"/>), else 403 with Kubernetes' message. Pod updates are not checked: containers'
/// resources cannot change.
/// </summary>
internal static class LimitRangeAdmission
{
    public static async Task<JsonObject> AdmitPodAsync(WriteSession w, string ns, JsonObject body, CancellationToken ct)
    {
        var stored = await w.ListAsync(ResourceKinds.LimitRange, ns, forUpdate: false, ct);
        if (stored.Count == 0) return body;
        var ranges = stored.Select(s => (LimitRange)ResourceCodec.Decode(ResourceKinds.LimitRange, s.Body)).ToList();
        var pod = (Pod)ResourceCodec.Decode(ResourceKinds.Pod, body);
        var defaulted = ranges.Aggregate(pod, LimitRangeDefaults.Apply);
        if (!ReferenceEquals(defaulted, pod)) Validation.Validate.OrThrow(ResourceKinds.Pod, defaulted, null);
        foreach (var range in ranges)
        {
            if (LimitRangeBounds.Check(range, defaulted) is { Count: > 0 } errors)
                throw ApiProblem.Forbidden($"pods \"{defaulted.Metadata.Name}\" is forbidden: {LimitRangeBounds.Aggregate(errors)}");
        }
        return ReferenceEquals(defaulted, pod) ? body : ResourceCodec.Encode(defaulted);
    }
}
