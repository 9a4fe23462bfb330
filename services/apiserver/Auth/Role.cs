namespace Platform.ApiServer.Auth;

/// <summary>
/// What a token may do on its own (see <see cref="Authorizer"/> and docs/apiserver.md); RBAC bindings naming the token's
/// user or groups add to it.
/// </summary>
public enum Role
{
    /// <summary>Everything, cluster-wide, including tokens.</summary>
    Admin,
    /// <summary>The <c>edit</c> ClusterRole inside one namespace (as if a RoleBinding granted it).</summary>
    Editor,
    /// <summary>The <c>view</c> ClusterRole (everything but Secrets, read-only), in one namespace or cluster-wide.</summary>
    Viewer,
    /// <summary>A node agent: its Node, its Lease in <c>kube-node-lease</c>, and the pods bound to it (read, status).</summary>
    Node,
    /// <summary>The scheduler: read, bind pods, write pod status and Events.</summary>
    Scheduler,
    /// <summary>The controllers: read and write workloads, services, pods, events, node status, and Leases in <c>kube-system</c>.</summary>
    Controller,
    /// <summary>The apiserver's own identity toward node agents (container logs); it may do nothing at the API itself.</summary>
    ApiServer,
    /// <summary>A ServiceAccount's token: nothing built in, only what RoleBindings and ClusterRoleBindings grant.</summary>
    ServiceAccount,
    /// <summary>
    /// A user known only by name and groups, as a SubjectAccessReview names it, or a platform token of role <c>user</c>
    /// (a component whose ClusterRoleBinding says what it may do, e.g. the gateway): nothing built in, only RBAC.
    /// </summary>
    User,
}
