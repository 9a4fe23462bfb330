namespace Platform.Contracts.Resources;

/// <summary>
/// <c>spec.topologySpreadConstraints[]</c>: pods matching <see cref="LabelSelector"/> may differ by at most <see cref="MaxSkew"/>
/// between the values of node label <see cref="TopologyKey"/>. <see cref="WhenUnsatisfiable"/>: <c>DoNotSchedule</c>
/// (a filter) or <c>ScheduleAnyway</c> (a score). Which nodes count as domains: those the pod's node affinity and
/// node selector accept (<see cref="NodeAffinityPolicy"/> <c>Honor</c>, the default) and, with
/// <see cref="NodeTaintsPolicy"/> <c>Honor</c>, only those whose NoSchedule/NoExecute taints the pod tolerates (the
/// default <c>Ignore</c> counts tainted nodes too, so a lost node's empty domain can hold pods Pending).
/// </summary>
public sealed record TopologySpreadConstraint
{
    public const string Honor = "Honor";
    public const string Ignore = "Ignore";

    public int MaxSkew { get; init; } = 1;
    public string? TopologyKey { get; init; }
    public string? WhenUnsatisfiable { get; init; }
    public LabelSelector? LabelSelector { get; init; }
    public string? NodeAffinityPolicy { get; init; }
    public string? NodeTaintsPolicy { get; init; }
}
