namespace Platform.ApiServer.Auth;

/// <summary>
/// The authenticated caller: a platform token (its name, role and scope — namespace for editor/viewer, node name for a
/// node) or a ServiceAccount token (<see cref="Role.ServiceAccount"/>, name <c>system:serviceaccount:NS:NAME</c>).
/// <see cref="User"/> and <see cref="Groups"/> are what RBAC bindings name.
/// </summary>
public sealed record Caller(string Name, Role Role, string? Namespace, string? NodeName)
{
    /// <summary>The user name RoleBindings match (<c>kind: User</c>; service accounts as <c>system:serviceaccount:NS:NAME</c>).</summary>
    public string User => Name;

    /// <summary>Groups RoleBindings match (<c>kind: Group</c>), as Kubernetes names them.</summary>
    public IReadOnlyList<string> Groups { get; init; } = Role switch
    {
        Role.Admin => [Rbac.Groups.Masters, Rbac.Groups.Authenticated],
        Role.Node => [Rbac.Groups.Nodes, Rbac.Groups.Authenticated],
        Role.ServiceAccount => [Rbac.Groups.ServiceAccounts, Rbac.Groups.ServiceAccounts + ":" + Namespace, Rbac.Groups.Authenticated],
        Role.User => [],
        _ => [Rbac.Groups.Authenticated],
    };

    /// <summary>Who authenticated, when this caller is the user they impersonate (<c>Impersonate-User</c>); else null.</summary>
    public Caller? Impersonator { get; init; }

    /// <summary>The uid of the ServiceAccount a token was issued for (null for platform tokens).</summary>
    public string? Uid { get; init; }

    /// <summary>Extra facts about the caller shown by <c>kubectl auth whoami</c> (a bound token's pod).</summary>
    public IReadOnlyDictionary<string, string[]>? Extra { get; init; }
}
