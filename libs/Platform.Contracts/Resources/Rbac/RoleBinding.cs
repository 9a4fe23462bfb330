namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: rbac.authorization.k8s.io/v1</c>, <c>kind: RoleBinding</c>: grants a Role of its namespace, or a
/// ClusterRole's rules limited to its namespace, to users, groups and service accounts.
/// </summary>
public sealed record RoleBinding : Resource
{
    /// <summary>Who is granted the role.</summary>
    public List<Subject>? Subjects { get; init; }
    /// <summary>The Role or ClusterRole granted; cannot change after creation.</summary>
    public RoleRef RoleRef { get; init; } = new();
}

/// <summary><c>apiVersion: rbac.authorization.k8s.io/v1</c>, <c>kind: ClusterRoleBinding</c>: grants a ClusterRole in every namespace and for cluster-scoped resources.</summary>
public sealed record ClusterRoleBinding : Resource
{
    /// <summary>Who is granted the role.</summary>
    public List<Subject>? Subjects { get; init; }
    /// <summary>The ClusterRole granted; cannot change after creation.</summary>
    public RoleRef RoleRef { get; init; } = new();
}

/// <summary>A user, group or service account a binding names.</summary>
public sealed record Subject
{
    /// <summary><c>User</c>, <c>Group</c> or <c>ServiceAccount</c>.</summary>
    public string? Kind { get; init; }
    /// <summary><c>rbac.authorization.k8s.io</c> for users and groups, <c>""</c> for service accounts.</summary>
    public string? ApiGroup { get; init; }
    /// <summary>The user, group or service account name.</summary>
    public string? Name { get; init; }
    /// <summary>The service account's namespace (defaults to the binding's namespace for RoleBindings).</summary>
    public string? Namespace { get; init; }
}

/// <summary>The role a binding grants.</summary>
public sealed record RoleRef
{
    /// <summary>Always <c>rbac.authorization.k8s.io</c>.</summary>
    public string? ApiGroup { get; init; }
    /// <summary><c>Role</c> or <c>ClusterRole</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>The role's name.</summary>
    public string? Name { get; init; }
}
