using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Platform.Contracts.Validation;

namespace Platform.ApiServer.Disruption;

/// <summary>
/// The <c>pods/eviction</c> subresource (Kubernetes' pkg/registry/core/pod/storage/eviction.go): deletes the pod
/// unless the PodDisruptionBudget covering it has no disruption left. The budget is read for update and its
/// <c>disruptionsAllowed</c> spent (the pod recorded in <c>disruptedPods</c>) in the delete's own transaction, so two
/// evictions racing for the last disruption cannot both win.
/// </summary>
internal sealed class EvictionService(DeletionService deletions, TimeProvider time)
{
    /// <summary>The message of the 429 Kubernetes answers when a budget forbids the eviction.</summary>
    public const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>Past this many evictions the controller has not yet confirmed, Kubernetes refuses more.</summary>
    private const int MaxDisruptedPods = 2000;

    public async Task EvictAsync(Caller caller, string ns, string name, JsonObject body, bool dryRun, CancellationToken ct)
    {
        var eviction = (Eviction)ResourceCodec.Decode(new ResourceKind("Eviction", "evictions", ResourceKinds.Policy, "v1", true, typeof(Eviction), [], []), body);
        if (eviction.Metadata.Name is { Length: > 0 } en && en != name)
            throw ApiProblem.BadRequest("metadata.name", $"name in URL does not match name in Eviction object");
        await deletions.DeleteAsync(caller, ResourceKinds.Pod, ns, name, propagation: null, dryRun, ct,
            (w, pod, token) => CheckBudgetAsync(w, pod, dryRun, token));
    }

    private async Task CheckBudgetAsync(WriteSession w, StoredObject stored, bool dryRun, CancellationToken ct)
    {
        var pod = (Pod)ResourceCodec.Decode(ResourceKinds.Pod, stored.Body);
        // A pod that is finished, not yet started or already going disrupts nothing.
        if (pod.Status?.Phase is "Succeeded" or "Failed" or "Pending" || pod.Metadata.DeletionTimestamp is not null) return;
        var budgets = (await w.ListAsync(ResourceKinds.PodDisruptionBudget, stored.Namespace, forUpdate: true, ct))
            .Select(b => (Budget: (PodDisruptionBudget)ResourceCodec.Decode(ResourceKinds.PodDisruptionBudget, b.Body), Stored: b))
            .Where(b => Covers(b.Budget, pod))
            .ToList();
        if (budgets.Count == 0) return;
        if (budgets.Count > 1)
            throw new ApiProblem(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        var (pdb, row) = budgets[0];
        var status = pdb.Status ?? new PodDisruptionBudgetStatus();
        var ready = IsReady(pod);
        if (!ready && pdb.Spec.UnhealthyPodEvictionPolicy == "AlwaysAllow") return;
        if (!ready && status.CurrentHealthy >= status.DesiredHealthy && status.DesiredHealthy > 0) return;
        if ((status.ObservedGeneration ?? 0) < (pdb.Metadata.Generation ?? 0))
            throw TooManyRequests($"The disruption budget {pdb.Metadata.Name} is still being processed by the server.");
        if (status.DisruptionsAllowed < 0) throw ApiProblem.Forbidden("pdb disruptions allowed is negative");
        if (status.DisruptedPods?.Count > MaxDisruptedPods)
            throw ApiProblem.Forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        if (status.DisruptionsAllowed == 0)
            throw TooManyRequests($"The disruption budget {pdb.Metadata.Name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently");
        if (dryRun) return;
        var body = row.CloneBody();
        var st = body["status"] as JsonObject ?? [];
        body["status"] = st;
        var allowed = status.DisruptionsAllowed - 1;
        st["disruptionsAllowed"] = allowed;
        var disrupted = st["disruptedPods"] as JsonObject ?? [];
        disrupted[pod.Metadata.Name!] = time.GetUtcNow();
        st["disruptedPods"] = disrupted;
        if (allowed == 0) DisruptionConditions.Set(st, allowed: false, "InsufficientPods", time.GetUtcNow());
        await w.UpdateAsync(ResourceKinds.PodDisruptionBudget, body, ct);
    }

    private static bool Covers(PodDisruptionBudget pdb, Pod pod)
    {
        try { return Selector.FromLabelSelector(pdb.Spec.Selector).Matches(pod.Metadata.Labels); }
        catch (FormatException) { return false; }
    }

    private static bool IsReady(Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static ApiProblem TooManyRequests(string cause) =>
        new(429, "TooManyRequests", ViolationMessage, [new FieldError("", cause, "DisruptionBudget")]);
}
