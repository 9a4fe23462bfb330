namespace Platform.Contracts.Resources;

/// <summary>Where the node's daemons listen; the apiserver reaches the node agent at <see cref="KubeletEndpoint"/>.</summary>
public sealed record NodeDaemonEndpoints
{
    /// <summary>The node agent's HTTP port (container logs), on the node's <c>InternalIP</c> address.</summary>
    public DaemonEndpoint? KubeletEndpoint { get; init; }
}
