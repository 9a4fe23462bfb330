using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Protobuf;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Metrics;

/// <summary>NodeMetrics, PodMetrics and their lists in metrics-server's JSON: the object's labels, <c>timestamp</c>, <c>window</c> and <c>usage</c>.</summary>
internal static class MetricsJson
{
    private const string ApiVersion = $"{MetricsEndpoints.Group}/{MetricsEndpoints.Version}";

    public static JsonObject NodeMetrics(Node node, Usage usage) => new()
    {
        ["kind"] = "NodeMetrics", ["apiVersion"] = ApiVersion,
        ["metadata"] = Metadata(node.Metadata.Name!, null, node.Metadata.Labels),
        ["timestamp"] = Time(usage.Time), ["window"] = GoDuration.Format(usage.Window.Ticks * 100),
        ["usage"] = UsageOf(usage),
    };

    public static JsonObject PodMetrics(Pod pod, PodUsage usage)
    {
        var containers = new JsonArray();
        foreach (var c in usage.Containers) containers.Add(new JsonObject { ["name"] = c.Name, ["usage"] = UsageOf(c.Usage) });
        var latest = usage.Containers.MaxBy(c => c.Usage.Time)!.Usage;
        return new JsonObject
        {
            ["kind"] = "PodMetrics", ["apiVersion"] = ApiVersion,
            ["metadata"] = Metadata(pod.Metadata.Name!, pod.Metadata.Namespace, pod.Metadata.Labels),
            ["timestamp"] = Time(latest.Time), ["window"] = GoDuration.Format(latest.Window.Ticks * 100),
            ["containers"] = containers,
        };
    }

    public static IResult List(string kind, JsonArray items) =>
        TypedResults.Json(new JsonObject { ["kind"] = kind, ["apiVersion"] = ApiVersion, ["metadata"] = new JsonObject(), ["items"] = items });

    private static JsonObject UsageOf(Usage u) => new() { ["cpu"] = MetricsQuantity.Cpu(u.NanoCores), ["memory"] = MetricsQuantity.Memory(u.WorkingSetBytes) };

    /// <summary>metrics-server stamps <c>creationTimestamp</c> with the time of the answer: these objects are made on each read.</summary>
    private static JsonObject Metadata(string name, string? ns, Dictionary<string, string>? labels)
    {
        var m = new JsonObject { ["name"] = name };
        if (ns is not null) m["namespace"] = ns;
        m["creationTimestamp"] = Time(DateTimeOffset.UtcNow);
        if (labels is { Count: > 0 }) m["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        return m;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
