using System.Globalization;
using System.Text;

namespace Platform.NodeAgent.Metrics;

/// <summary>
/// kubelet's <c>/metrics/resource</c> in the Prometheus text format: the same metric names, help, types and labels
/// (<c>node_*</c>, <c>pod_*{namespace,pod}</c>, <c>container_*{container,namespace,pod}</c>), each sample with the
/// time (ms) it was read, so a scraper computes rates from the reading times and not from when it asked.
/// </summary>
internal static class ResourceMetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(UsageSnapshot snapshot)
    {
        var b = new StringBuilder();
        var containers = snapshot.Containers;
        var pods = containers.GroupBy(c => (c.Namespace, c.Pod)).ToList();

        Header(b, "container_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter");
        foreach (var c in containers) Sample(b, "container_cpu_usage_seconds_total", ContainerLabels(c), Seconds(c.Window.Latest.CpuNanoseconds), c.Window.Latest.Time);
        Header(b, "container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", "gauge");
        foreach (var c in containers) Sample(b, "container_memory_working_set_bytes", ContainerLabels(c), c.Window.Latest.MemoryWorkingSetBytes, c.Window.Latest.Time);
        Header(b, "container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", "gauge");
        foreach (var c in containers.Where(c => c.StartedAt is not null))
            Sample(b, "container_start_time_seconds", ContainerLabels(c), c.StartedAt!.Value.ToUnixTimeMilliseconds() / 1000.0, c.StartedAt.Value);

        if (snapshot.Node is { Latest: var node })
        {
            Header(b, "node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds", "counter");
            Sample(b, "node_cpu_usage_seconds_total", "", Seconds(node.CpuNanoseconds), node.Time);
            Header(b, "node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge");
            Sample(b, "node_memory_working_set_bytes", "", node.MemoryWorkingSetBytes, node.Time);
        }

        Header(b, "pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds", "counter");
        foreach (var p in pods)
            Sample(b, "pod_cpu_usage_seconds_total", PodLabels(p.Key.Namespace, p.Key.Pod), p.Sum(c => Seconds(c.Window.Latest.CpuNanoseconds)), p.Max(c => c.Window.Latest.Time));
        Header(b, "pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge");
        foreach (var p in pods)
            Sample(b, "pod_memory_working_set_bytes", PodLabels(p.Key.Namespace, p.Key.Pod), p.Aggregate(0UL, (sum, c) => sum + c.Window.Latest.MemoryWorkingSetBytes), p.Max(c => c.Window.Latest.Time));

        Header(b, "scrape_error", "[ALPHA] 1 if there was an error while getting container metrics, 0 otherwise", "gauge");
        b.Append("scrape_error ").Append(snapshot.Failed ? "1" : "0").Append('\n');
        return b.ToString();
    }

    private static double Seconds(ulong nanoseconds) => nanoseconds / 1e9;

    private static void Header(StringBuilder b, string name, string help, string type) =>
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder b, string name, string labels, double value, DateTimeOffset at) =>
        b.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture))
            .Append(' ').Append(at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string ContainerLabels(ContainerUsage c) =>
        $"{{container=\"{Escape(c.Container)}\",namespace=\"{Escape(c.Namespace)}\",pod=\"{Escape(c.Pod)}\"}}";

    private static string PodLabels(string ns, string pod) => $"{{namespace=\"{Escape(ns)}\",pod=\"{Escape(pod)}\"}}";

    private static string Escape(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
