namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: coordination.k8s.io/v1</c>, <c>kind: Lease</c>: a lock with a holder and a renewal time. Node agents
/// heartbeat by renewing <c>kube-node-lease/{node}</c>; the controller-manager elects its leader on
/// <c>kube-system/platform-controller-manager</c>. Writers use <c>metadata.resourceVersion</c> so two holders never
/// both succeed.
/// </summary>
public sealed record Lease : Resource
{
    public LeaseSpec Spec { get; init; } = new();
}
