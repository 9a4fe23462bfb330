using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>
/// A parsed topology spread constraint; <see cref="Hard"/> is <c>whenUnsatisfiable: DoNotSchedule</c> (the default).
/// <see cref="HonorAffinity"/> and <see cref="HonorTaints"/> are the node inclusion policies (Honor / Ignore; by
/// default affinity is honoured and taints are not, as in Kubernetes).
/// </summary>
internal sealed record SpreadConstraint(int MaxSkew, string TopologyKey, bool Hard, Selector Selector, bool HonorAffinity = true, bool HonorTaints = false)
{
    public static SpreadConstraint From(TopologySpreadConstraint c) =>
        new(Math.Max(1, c.MaxSkew), c.TopologyKey ?? "", c.WhenUnsatisfiable != "ScheduleAnyway", Selectors.From(c.LabelSelector),
            c.NodeAffinityPolicy != TopologySpreadConstraint.Ignore, c.NodeTaintsPolicy == TopologySpreadConstraint.Honor);
}
