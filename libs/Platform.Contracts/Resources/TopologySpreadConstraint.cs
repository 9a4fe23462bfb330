namespace Platform.Contracts.Resources;

/// <summary>
/// <c>spec.topologySpreadConstraints[]</c>: pods matching <see cref="LabelSelector"/> may differ by at most <see cref="MaxSkew"/>
/// between the values of node label <see cref="TopologyKey"/>. <see cref="WhenUnsatisfiable"/>: <c>DoNotSchedule</c>
/// (a filter) or <c>ScheduleAnyway</c> (a score).
/// </summary>
public sealed record TopologySpreadConstraint
{
    public int MaxSkew { get; init; } = 1;
    public string? TopologyKey { get; init; }
    public string? WhenUnsatisfiable { get; init; }
    public LabelSelector? LabelSelector { get; init; }
}
