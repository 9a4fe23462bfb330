using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Metrics;

/// <summary>One usage point: CPU rate over the window ending at <see cref="Time"/>, and the memory working set.</summary>
internal sealed record Usage(ulong NanoCores, ulong WorkingSetBytes, DateTimeOffset Time, TimeSpan Window);

internal sealed record ContainerUsage(string Name, Usage Usage);

internal sealed record PodUsage(string Namespace, string Name, string Uid, IReadOnlyList<ContainerUsage> Containers);

/// <summary>
/// The part of a node agent's <c>/stats/summary</c> the metrics API serves. A node or container whose CPU rate is not
/// known yet (one sample so far) has no usage, and a pod is only listed when all its containers have one, as
/// metrics-server drops partial pods.
/// </summary>
internal sealed record NodeSummary(Usage? Node, IReadOnlyList<PodUsage> Pods)
{
    public static NodeSummary Parse(JsonObject summary)
    {
        var node = UsageOf(summary["node"]?["cpu"] as JsonObject, summary["node"]?["memory"] as JsonObject);
        var pods = new List<PodUsage>();
        foreach (var pod in summary["pods"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var containers = new List<ContainerUsage>();
            var complete = true;
            foreach (var c in pod["containers"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var usage = UsageOf(c["cpu"] as JsonObject, c["memory"] as JsonObject);
                if (usage is null || (string?)c["name"] is not { } name) complete = false;
                else containers.Add(new ContainerUsage(name, usage));
            }
            var podRef = pod["podRef"] as JsonObject;
            if (complete && containers.Count > 0 && podRef is not null)
                pods.Add(new PodUsage((string?)podRef["namespace"] ?? "", (string?)podRef["name"] ?? "", (string?)podRef["uid"] ?? "", containers));
        }
        return new NodeSummary(node, pods);
    }

    private static Usage? UsageOf(JsonObject? cpu, JsonObject? memory)
    {
        if (cpu?["usageNanoCores"] is not JsonValue rate || memory?["workingSetBytes"] is not JsonValue bytes) return null;
        var at = DateTimeOffset.Parse((string?)cpu["time"] ?? throw new FormatException("cpu.time is missing"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var window = TimeSpan.FromSeconds(cpu["windowSeconds"] is JsonValue w ? w.GetValue<double>() : 0);
        return new Usage(rate.GetValue<ulong>(), bytes.GetValue<ulong>(), at, window);
    }
}
