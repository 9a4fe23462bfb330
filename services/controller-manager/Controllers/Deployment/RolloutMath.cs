using Platform.Contracts.Resources;
using RS = Platform.Contracts.Resources.ReplicaSet;

namespace Platform.ControllerManager.Controllers.Deployment;

/// <summary>The rolling update arithmetic of Kubernetes' deployment controller (surge up, then scale old down within maxUnavailable).</summary>
internal static class RolloutMath
{
    public static int Replicas(RS rs) => rs.Spec.Replicas ?? 0;

    /// <summary>maxSurge rounds up, maxUnavailable down (25% each by default); both 0 would deadlock, so maxUnavailable becomes 1.</summary>
    public static (int MaxSurge, int MaxUnavailable) Limits(DeploymentSpec spec)
    {
        var replicas = spec.Replicas ?? 1;
        var ru = spec.Strategy?.RollingUpdate;
        var surge = (ru?.MaxSurge ?? new IntOrString("25%")).Resolve(replicas, roundUp: true);
        var unavailable = (ru?.MaxUnavailable ?? new IntOrString("25%")).Resolve(replicas, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (Math.Max(0, surge), Math.Min(Math.Max(0, unavailable), replicas));
    }

    /// <summary>The new ReplicaSet's next size: up to replicas + maxSurge pods in total.</summary>
    public static int NewReplicaSetReplicas(DeploymentSpec spec, IReadOnlyList<RS> all, RS? newRs)
    {
        var replicas = spec.Replicas ?? 1;
        var current = newRs is null ? 0 : Replicas(newRs);
        if (spec.Strategy?.Type == "Recreate") return replicas;
        var (surge, _) = Limits(spec);
        var total = all.Sum(Replicas);
        var maxTotal = replicas + surge;
        if (total >= maxTotal) return current;
        return current + Math.Max(0, Math.Min(maxTotal - total, replicas - current));
    }

    /// <summary>
    /// How far old ReplicaSets may shrink now: never below replicas - maxUnavailable available pods, counting the
    /// new ReplicaSet's unavailable pods as already missing. <paramref name="available"/> gives a ReplicaSet's
    /// available pods as the pod cache sees them.
    /// </summary>
    public static List<(RS Rs, int To)> ScaleDownOld(DeploymentSpec spec, IReadOnlyList<RS> old, RS newRs, Func<RS, int> available)
    {
        var result = new List<(RS, int)>();
        if (old.Sum(Replicas) == 0) return result;
        var replicas = spec.Replicas ?? 1;
        var (_, maxUnavailable) = Limits(spec);
        var minAvailable = replicas - maxUnavailable;
        var all = old.Append(newRs).ToList();
        var newUnavailable = Replicas(newRs) - available(newRs);
        var maxScaledDown = all.Sum(Replicas) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return result;
        var sizes = old.ToDictionary(r => r.Metadata.Uid!, Replicas);
        // Times are whole seconds (Kubernetes' Time): sets made within one second are ordered by name, as Kubernetes does.
        var byAge = old.OrderBy(r => r.Metadata.CreationTimestamp).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();

        // First the unhealthy replicas of old sets: removing them costs no availability.
        var cleaned = 0;
        foreach (var rs in byAge)
        {
            var unhealthy = sizes[rs.Metadata.Uid!] - Math.Min(sizes[rs.Metadata.Uid!], available(rs));
            var n = Math.Min(unhealthy, maxScaledDown - cleaned);
            if (n <= 0) continue;
            sizes[rs.Metadata.Uid!] -= n;
            cleaned += n;
        }
        // Then healthy ones, only as far as the available count stays above minAvailable.
        var availableNow = all.Sum(r => Math.Min(r.Metadata.Uid is { } u && sizes.TryGetValue(u, out var s) ? s : Replicas(r), available(r)));
        var budget = availableNow - minAvailable;
        foreach (var rs in byAge)
        {
            if (budget <= 0) break;
            var n = Math.Min(sizes[rs.Metadata.Uid!], budget);
            sizes[rs.Metadata.Uid!] -= n;
            budget -= n;
        }
        foreach (var rs in old)
            if (sizes[rs.Metadata.Uid!] != Replicas(rs)) result.Add((rs, sizes[rs.Metadata.Uid!]));
        return result;
    }
}
