using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using PDB = Platform.Contracts.Resources.PodDisruptionBudget;

namespace Platform.ControllerManager.Controllers.Disruption;

/// <summary>
/// How many pods a PodDisruptionBudget expects and how many must be healthy, as Kubernetes' getExpectedPodCount
/// computes them: an integer <c>minAvailable</c> counts the pods there are; <c>maxUnavailable</c> and a percentage
/// count the replicas the pods' controllers (ReplicaSet, or the Deployment above it, StatefulSet) ask for.
/// </summary>
internal static class ExpectedPods
{
    /// <summary>policy/v1: an empty selector covers every pod of the namespace.</summary>
    public static bool Covers(PDB pdb, Pod pod)
    {
        if (pod.Metadata.Namespace != pdb.Metadata.Namespace) return false;
        try { return Selector.FromLabelSelector(pdb.Spec.Selector).Matches(pod.Metadata.Labels); }
        catch (FormatException) { return false; }
    }

    public static (int Expected, int DesiredHealthy, string? Error) Count(PDB pdb, IReadOnlyList<Pod> pods, ClusterInformers informers)
    {
        var spec = pdb.Spec;
        if (spec.MaxUnavailable is null && spec.MinAvailable is null) return (pods.Count, 0, null);
        if (spec.MinAvailable is { IsInt: true } min) return (pods.Count, min.IntValue!.Value, null);
        var (expected, error) = FromControllers(pods, informers);
        if (error is not null) return (0, 0, error);
        if (spec.MaxUnavailable is { } max)
            return (expected, Math.Max(0, expected - max.Resolve(expected, roundUp: true)), null);
        return (expected, spec.MinAvailable!.Value.Resolve(expected, roundUp: true), null);
    }

    private static (int Expected, string? Error) FromControllers(IReadOnlyList<Pod> pods, ClusterInformers informers)
    {
        var seen = new HashSet<string>();
        var expected = 0;
        foreach (var pod in pods)
        {
            if (PodFacts.ControllerOf(pod) is not { } owner) return (0, $"found no controller for pod \"{pod.Metadata.Name}\"");
            var ns = pod.Metadata.Namespace;
            var (scale, uid) = owner.Kind switch
            {
                "ReplicaSet" when informers.ReplicaSets.Get(ns, owner.Name!) is { } rs => PodFacts.ControllerOf(rs) is { Kind: "Deployment" } d
                    && informers.Deployments.Get(ns, d.Name!) is { } deploy ? (deploy.Spec.Replicas ?? 1, deploy.Metadata.Uid) : (rs.Spec.Replicas ?? 1, rs.Metadata.Uid),
                "StatefulSet" when informers.StatefulSets.Get(ns, owner.Name!) is { } sts => (sts.Spec.Replicas ?? 1, sts.Metadata.Uid),
                _ => (-1, null),
            };
            if (scale < 0) return (0, $"found no controller with a scale for pod \"{pod.Metadata.Name}\" ({owner.Kind} {owner.Name})");
            if (seen.Add(uid ?? owner.Uid ?? "")) expected += scale;
        }
        return (expected, null);
    }
}
