namespace Platform.NodeAgent.Network;

/// <summary>
/// A pod's running sandbox: the container whose network namespace the pod's containers join, and the pod's IP.
/// <see cref="Created"/>: started just now, so containers still running were in a namespace that is gone.
/// </summary>
internal sealed record PodSandbox(string ContainerId, string Ip, bool Created)
{
    /// <summary>Docker's network mode for a container of the pod.</summary>
    public string NetworkMode => "container:" + ContainerId;
}
