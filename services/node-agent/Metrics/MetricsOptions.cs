namespace Platform.NodeAgent.Metrics;

/// <summary><c>NodeAgent:Metrics</c>: the resource usage sampler behind the agent's <c>/metrics/resource</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary><c>NodeAgent:Metrics:Interval</c>: how often every running container's and the node's CPU and memory are read (default 15 s, kubelet's housekeeping).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}
