using System.Text.Json.Nodes;

namespace Platform.NodeAgent.Metrics;

/// <summary>
/// kubelet's Summary API (<c>/stats/summary</c>, the part metrics-server read before <c>/metrics/resource</c>): the
/// node's and each pod's and container's <c>cpu.usageNanoCores</c> over the sampler's last window and
/// <c>memory.workingSetBytes</c>, with the time of the reading. <c>cpu.windowSeconds</c> (not kubelet's) is that
/// window's length, so the apiserver can report the metrics API's <c>window</c> as measured.
/// </summary>
internal static class StatsSummary
{
    public static JsonObject Build(string nodeName, UsageSnapshot snapshot)
    {
        var node = new JsonObject { ["nodeName"] = nodeName };
        if (snapshot.Node is { } n)
        {
            node["cpu"] = Cpu(n);
            node["memory"] = Memory(n.Latest);
        }
        var pods = new JsonArray();
        foreach (var pod in snapshot.Containers.GroupBy(c => c.PodUid))
        {
            var first = pod.First();
            var containers = new JsonArray();
            foreach (var c in pod.OrderBy(c => c.Container, StringComparer.Ordinal))
            {
                var container = new JsonObject { ["name"] = c.Container, ["cpu"] = Cpu(c.Window), ["memory"] = Memory(c.Window.Latest) };
                if (c.StartedAt is { } started) container["startTime"] = started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
                containers.Add(container);
            }
            pods.Add(new JsonObject
            {
                ["podRef"] = new JsonObject { ["name"] = first.Pod, ["namespace"] = first.Namespace, ["uid"] = first.PodUid },
                ["containers"] = containers,
            });
        }
        return new JsonObject { ["node"] = node, ["pods"] = pods };
    }

    private static JsonObject Cpu(UsageWindow w)
    {
        var cpu = new JsonObject { ["time"] = Time(w.Latest.Time), ["usageCoreNanoSeconds"] = w.Latest.CpuNanoseconds };
        if (w.NanoCores is { } rate)
        {
            cpu["usageNanoCores"] = rate;
            cpu["windowSeconds"] = Math.Round((w.Latest.Time - w.Previous!.Time).TotalSeconds, 3);
        }
        return cpu;
    }

    private static JsonObject Memory(UsageSample s) => new() { ["time"] = Time(s.Time), ["workingSetBytes"] = s.MemoryWorkingSetBytes };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
