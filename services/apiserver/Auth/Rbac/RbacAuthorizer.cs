using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Auth.Rbac;

/// <summary>
/// Kubernetes' RBAC authorizer: a request is allowed when a ClusterRoleBinding, or a RoleBinding in the request's
/// namespace, names the caller's user, one of its groups or its ServiceAccount and grants a rule that allows it.
/// Editor and viewer platform tokens hold their ClusterRole (<c>edit</c>, <c>view</c>) as if bound to it in their
/// namespace (cluster-wide for an unscoped viewer). Roles and bindings come from the apiserver's own watch through the
/// client kit's informers (<see cref="LoopbackInformers"/>), indexed by the subjects they name.
/// </summary>
internal sealed class RbacAuthorizer
{
    private const string BySubject = "subject";
    private readonly Informer<Contracts.Resources.Role> _roles;
    private readonly Informer<ClusterRole> _clusterRoles;
    private readonly Informer<RoleBinding> _bindings;
    private readonly Informer<ClusterRoleBinding> _clusterBindings;

    public RbacAuthorizer(LoopbackInformers loopback)
    {
        var f = loopback.Factory;
        _roles = f.For<Contracts.Resources.Role>(ResourceKinds.Role, o => o.Source = InformerSource.Watch);
        _clusterRoles = f.For<ClusterRole>(ResourceKinds.ClusterRole, o => o.Source = InformerSource.Watch);
        _bindings = f.For<RoleBinding>(ResourceKinds.RoleBinding, o => o.Source = InformerSource.Watch);
        _clusterBindings = f.For<ClusterRoleBinding>(ResourceKinds.ClusterRoleBinding, o => o.Source = InformerSource.Watch);
        _bindings.AddIndexer(BySubject, b => SubjectKeys(b.Subjects, b.Metadata.Namespace));
        _clusterBindings.AddIndexer(BySubject, b => SubjectKeys(b.Subjects, null));
    }

    public bool HasSynced => _roles.HasSynced && _clusterRoles.HasSynced && _bindings.HasSynced && _clusterBindings.HasSynced;

    public Task WaitForSyncAsync(CancellationToken ct) =>
        Task.WhenAll(_roles.WaitForSyncAsync(ct), _clusterRoles.WaitForSyncAsync(ct), _bindings.WaitForSyncAsync(ct), _clusterBindings.WaitForSyncAsync(ct));

    public bool Allows(Caller caller, RequestAttributes a) => Grants(caller, a.Namespace).Any(g => PolicyRules.Allows(g.Rules, a));

    /// <summary>Every rule granted to <paramref name="caller"/> in <paramref name="ns"/> (cluster-wide grants included; null: only those).</summary>
    public List<PolicyRule> RulesFor(Caller caller, string? ns) => [.. Grants(caller, ns).SelectMany(g => g.Rules)];

    /// <summary>The bindings that apply to the caller, cluster-wide first, each with the rules of its role.</summary>
    private IEnumerable<(string Binding, IReadOnlyList<PolicyRule> Rules)> Grants(Caller caller, string? ns)
    {
        foreach (var (role, scope) in Implicit(caller))
            if (scope is null || scope == ns)
                yield return ($"the {caller.Role.ToString().ToLowerInvariant()} token's ClusterRole \"{role}\"", ClusterRoleRules(role));
        var keys = KeysOf(caller);
        foreach (var key in keys)
        foreach (var b in _clusterBindings.ByIndex(BySubject, key))
            if (b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name is { } name)
                yield return ($"ClusterRoleBinding \"{b.Metadata.Name}\"", ClusterRoleRules(name));
        if (ns is null) yield break;
        foreach (var key in keys)
        foreach (var b in _bindings.ByIndex(BySubject, key))
        {
            if (b.Metadata.Namespace != ns || b.RoleRef.Name is not { } name) continue;
            var rules = b.RoleRef.Kind switch
            {
                "ClusterRole" => ClusterRoleRules(name),
                "Role" => (IReadOnlyList<PolicyRule>?)_roles.Get(ns, name)?.Rules ?? [],
                _ => [],
            };
            yield return ($"RoleBinding \"{ns}/{b.Metadata.Name}\"", rules);
        }
    }

    private IReadOnlyList<PolicyRule> ClusterRoleRules(string name) => _clusterRoles.Get(null, name)?.Rules ?? [];

    /// <summary>The ClusterRole an editor or viewer token holds, and where (null: cluster-wide).</summary>
    private static IEnumerable<(string Role, string? Namespace)> Implicit(Caller c) => c.Role switch
    {
        Role.Editor when c.Namespace is not null => [(DefaultRoles.Edit, c.Namespace)],
        Role.Viewer => [(DefaultRoles.View, c.Namespace)],
        _ => [],
    };

    private static List<string> KeysOf(Caller c) => ["User/" + c.User, .. c.Groups.Select(g => "Group/" + g)];

    /// <summary>How a binding's subjects are indexed: <c>User/NAME</c>, <c>Group/NAME</c>; a ServiceAccount as its user name.</summary>
    private static IEnumerable<string> SubjectKeys(List<Subject>? subjects, string? bindingNamespace)
    {
        foreach (var s in subjects ?? [])
        {
            if (s.Name is not { Length: > 0 } name) continue;
            switch (s.Kind)
            {
                case "User": yield return "User/" + name; break;
                case "Group": yield return "Group/" + name; break;
                case "ServiceAccount" when (s.Namespace is { Length: > 0 } ? s.Namespace : bindingNamespace) is { } ns:
                    yield return "User/" + Groups.ServiceAccountUser(ns, name);
                    break;
            }
        }
    }
}
