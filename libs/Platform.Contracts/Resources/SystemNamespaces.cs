namespace Platform.Contracts.Resources;

/// <summary>Namespaces the apiserver creates at start, as a Kubernetes cluster has them.</summary>
public static class SystemNamespaces
{
    public const string Default = "default";

    /// <summary>The control plane's own objects, such as the controller-manager's leader-election Lease.</summary>
    public const string KubeSystem = "kube-system";

    /// <summary>One Lease per Node, named after it, renewed by its node agent as the heartbeat.</summary>
    public const string NodeLease = "kube-node-lease";

    public static IReadOnlyList<string> All { get; } = [Default, KubeSystem, NodeLease];
}
