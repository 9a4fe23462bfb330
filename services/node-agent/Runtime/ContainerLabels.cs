namespace Platform.NodeAgent.Runtime;

/// <summary>
/// Labels put on every container, so a restarted agent can find and re-adopt what it ran (pod, container, restart
/// count, allocated ports) from Docker alone instead of restarting it. Public: what an agent leaves in Docker is read by
/// tools and tests that clean up after a node.
/// </summary>
public static class ContainerLabels
{
    public const string Node = "io.platform.node";
    public const string PodUid = "io.platform.pod.uid";
    public const string PodNamespace = "io.platform.pod.namespace";
    public const string PodName = "io.platform.pod.name";
    public const string Container = "io.platform.container.name";
    public const string RestartCount = "io.platform.container.restart-count";
    public const string Ports = "io.platform.pod.ports";
    /// <summary>"true" on a pod's init containers (kept after they complete, so a restarted agent does not run them again).</summary>
    public const string InitContainer = "io.platform.container.init";
    public const string GracePeriod = "io.platform.pod.termination-grace-period";
    /// <summary>"true" on a pod's sandbox ("pause") container, which holds the pod's network namespace.</summary>
    public const string Sandbox = "io.platform.pod.sandbox";
    /// <summary>The pod's own IP, on the containers of a pod on the pod network (absent: the pod shares the host network).</summary>
    public const string PodIp = "io.platform.pod.ip";
    /// <summary>The value of <see cref="Container"/> on a sandbox (no container of a pod may have an upper-case name).</summary>
    public const string SandboxName = "POD";

    /// <summary>Docker's list filter for one pod's containers on <paramref name="node"/> (only that pod uid's, when given).</summary>
    public static Dictionary<string, IDictionary<string, bool>> PodFilter(string node, string ns, string pod, string? podUid, string? container = null)
    {
        var labels = new Dictionary<string, bool>
        {
            [$"{Node}={node}"] = true,
            [$"{PodNamespace}={ns}"] = true,
            [$"{PodName}={pod}"] = true,
        };
        if (container is not null) labels[$"{Container}={container}"] = true;
        if (podUid is not null) labels[$"{PodUid}={podUid}"] = true;
        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
    }
}
