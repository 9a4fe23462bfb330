namespace Platform.Gateway.Discovery;

/// <summary>What <c>GET /apps/delta</c> answered: changed instances and the registry's reconcile hash after them.</summary>
public sealed record RegistryDelta(IReadOnlyList<RegistryDelta.Change> Changes, string AppsHashCode)
{
    /// <summary>One changed instance with Eureka's <c>actionType</c> (ADDED, MODIFIED, DELETED).</summary>
    public sealed record Change(ServiceInstance Instance, string ActionType);
}
