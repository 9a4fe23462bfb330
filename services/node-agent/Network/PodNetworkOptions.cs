namespace Platform.NodeAgent.Network;

/// <summary>Settings bound from <c>NodeAgent:PodNetwork</c>: pods off the host network, each with an IP of its own on a node bridge.</summary>
public sealed class PodNetworkOptions
{
    /// <summary>
    /// <c>NodeAgent:PodNetwork:Enabled</c>: pods without <c>hostNetwork: true</c> get a sandbox with their own network
    /// namespace, veth and IP. Default: on for Linux when the agent runs as root and <c>ip</c> is installed.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary><c>NodeAgent:PodNetwork:PauseImage</c>: the sandbox ("pause") container's image; it needs <c>/bin/sh</c> and <c>sleep</c> (a local busybox import).</summary>
    public string PauseImage { get; set; } = "platform/pause:latest";

    /// <summary><c>NodeAgent:PodNetwork:PodCidr</c>: the pod range used while the Node has no <c>spec.podCIDR</c> (a standalone agent, or no IPAM controller).</summary>
    public string? PodCidr { get; set; }

    /// <summary>The effective switch: <see cref="Enabled"/>, else whether this machine can do it.</summary>
    internal bool IsEnabled => Enabled ?? (OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && CommandRunner.Exists("ip"));
}
