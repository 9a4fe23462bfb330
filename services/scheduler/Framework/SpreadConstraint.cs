using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>A parsed topology spread constraint; <see cref="Hard"/> is <c>whenUnsatisfiable: DoNotSchedule</c> (the default).</summary>
internal sealed record SpreadConstraint(int MaxSkew, string TopologyKey, bool Hard, Selector Selector)
{
    public static SpreadConstraint From(TopologySpreadConstraint c) =>
        new(Math.Max(1, c.MaxSkew), c.TopologyKey ?? "", c.WhenUnsatisfiable != "ScheduleAnyway", Selectors.From(c.LabelSelector));
}
