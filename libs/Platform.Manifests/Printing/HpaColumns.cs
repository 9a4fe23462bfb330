using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's HorizontalPodAutoscaler cells: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.</summary>
internal static class HpaColumns
{
    public static readonly string[] Headers = ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"];
    private const int MaxTargetsShown = 4;

    public static string[] Row(JsonObject o, DateTimeOffset now)
    {
        var spec = o["spec"];
        var target = spec?["scaleTargetRef"];
        return
        [
            (string?)o["metadata"]?["name"] ?? "", $"{(string?)target?["kind"]}/{(string?)target?["name"]}",
            Targets(spec?["metrics"] as JsonArray ?? [], o["status"]?["currentMetrics"] as JsonArray ?? []),
            spec?["minReplicas"] is { } min ? min.ToString() : "<unset>", spec?["maxReplicas"]?.ToString() ?? "0",
            ((int?)o["status"]?["currentReplicas"] ?? 0).ToString(CultureInfo.InvariantCulture),
            Age.Since((string?)o["metadata"]?["creationTimestamp"], now),
        ];
    }

    /// <summary>kubectl's formatHPAMetrics: <c>cpu: 42%/50%</c>, <c>memory: 12Mi/100Mi</c>, <c>&lt;unknown&gt;</c> before the first reading.</summary>
    public static string Targets(JsonArray metrics, JsonArray current)
    {
        var list = new List<string>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            var type = (string?)m?["type"];
            var status = i < current.Count ? current[i] : null;
            var key = type is null ? "" : char.ToLowerInvariant(type[0]) + type[1..];
            var spec = m?[key];
            var now = status?[key]?["current"];
            var target = spec?["target"];
            if (type is "Resource" or "ContainerResource")
            {
                var name = (string?)spec?["name"];
                if (target?["averageValue"] is { } averageValue)
                    list.Add($"{name}: {(string?)now?["averageValue"] ?? "<unknown>"}/{averageValue}");
                else
                    list.Add($"{name}: {(now?["averageUtilization"] is { } u ? $"{u}%" : "<unknown>")}/{(target?["averageUtilization"] is { } t ? $"{t}%" : "<auto>")}");
            }
            else
            {
                var wanted = (string?)target?["averageValue"] ?? (string?)target?["value"] ?? "<auto>";
                var seen = (string?)now?["averageValue"] ?? (string?)now?["value"] ?? "<unknown>";
                var average = type is not "Pods" && target?["averageValue"] is not null;
                list.Add($"{seen}/{wanted}{(average ? " (avg)" : "")}");
            }
        }
        if (list.Count == 0) return "<none>";
        return list.Count > MaxTargetsShown ? string.Join(", ", list.Take(MaxTargetsShown)) + $" + {list.Count - MaxTargetsShown} more..." : string.Join(", ", list);
    }
}
