namespace Platform.ApiServer.Auth;

/// <summary>What a token may do (see <see cref="Authorizer"/> and docs/apiserver.md).</summary>
public enum Role
{
    /// <summary>Everything, cluster-wide, including tokens.</summary>
    Admin,
    /// <summary>Everything inside one namespace.</summary>
    Editor,
    /// <summary>Read everything but Secrets, in one namespace or cluster-wide.</summary>
    Viewer,
    /// <summary>A node agent: its Node, its Lease in <c>kube-node-lease</c>, and the pods bound to it (read, status).</summary>
    Node,
    /// <summary>The scheduler: read, bind pods, write pod status and Events.</summary>
    Scheduler,
    /// <summary>The controllers: read and write workloads, services, pods, events, node status, and Leases in <c>kube-system</c>.</summary>
    Controller,
    /// <summary>The apiserver's own identity toward node agents (container logs); it may do nothing at the API itself.</summary>
    ApiServer,
}
