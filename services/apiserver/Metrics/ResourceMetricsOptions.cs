namespace Platform.ApiServer.Metrics;

/// <summary>Settings bound from <c>ApiServer:Metrics</c>: the resource metrics API (<c>metrics.k8s.io</c>).</summary>
public sealed class ResourceMetricsOptions
{
    public const string Section = "ApiServer:Metrics";

    /// <summary>
    /// <c>ApiServer:Metrics:CacheTtl</c>: a node agent's usage summary is reused for this long, so <c>kubectl top</c>
    /// and every autoscaler sync within it cost the agent one request (default 5 s; 0 asks the agent every time).
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
