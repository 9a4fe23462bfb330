namespace Platform.NodeAgent.Network;

/// <summary>A pod's running sandbox: the container whose network namespace the pod's containers join, and the pod's IP.</summary>
internal sealed record PodSandbox(string ContainerId, string Ip)
{
    /// <summary>Docker's network mode for a container of the pod.</summary>
    public string NetworkMode => "container:" + ContainerId;
}
