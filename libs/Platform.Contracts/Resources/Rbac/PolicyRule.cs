namespace Platform.Contracts.Resources;

/// <summary>
/// One grant of a Role or ClusterRole: the verbs allowed on the resources of the API groups (optionally only the
/// named objects), or on non-resource URLs. <c>*</c> matches everything in a list.
/// </summary>
public sealed record PolicyRule
{
    /// <summary>Verbs: get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, or <c>*</c>.</summary>
    public List<string>? Verbs { get; init; }
    /// <summary>API groups of the resources (<c>""</c> is the core group, <c>*</c> all).</summary>
    public List<string>? ApiGroups { get; init; }
    /// <summary>Resources (<c>pods</c>), subresources (<c>pods/log</c>, <c>*/scale</c>), or <c>*</c>.</summary>
    public List<string>? Resources { get; init; }
    /// <summary>When set, only objects with these names (never matches list, watch or create of a collection).</summary>
    public List<string>? ResourceNames { get; init; }
    /// <summary>Paths such as <c>/healthz</c> or <c>/api/*</c>; only in ClusterRoles.</summary>
    public List<string>? NonResourceURLs { get; init; }
}
