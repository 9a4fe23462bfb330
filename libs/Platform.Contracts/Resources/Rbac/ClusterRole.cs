namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: rbac.authorization.k8s.io/v1</c>, <c>kind: ClusterRole</c>: rules granted cluster-wide by a
/// ClusterRoleBinding, or inside one namespace by a RoleBinding.
/// </summary>
public sealed record ClusterRole : Resource
{
    /// <summary>What the role allows; kept by the aggregation controller when <c>aggregationRule</c> is set.</summary>
    public List<PolicyRule>? Rules { get; init; }
    /// <summary>Makes the rules the union of the ClusterRoles whose labels match one of the selectors.</summary>
    public AggregationRule? AggregationRule { get; init; }
}

/// <summary>Which ClusterRoles an aggregated ClusterRole gathers its rules from.</summary>
public sealed record AggregationRule
{
    /// <summary>A ClusterRole matching any of these selectors contributes its rules.</summary>
    public List<LabelSelector>? ClusterRoleSelectors { get; init; }
}
