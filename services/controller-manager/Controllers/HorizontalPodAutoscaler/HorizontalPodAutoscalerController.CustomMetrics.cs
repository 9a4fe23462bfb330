using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Hpa = Platform.Contracts.Resources.HorizontalPodAutoscaler;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>
/// <c>Pods</c> and <c>Object</c> metrics from <c>custom.metrics.k8s.io/v1beta2</c>, with Kubernetes' replica math:
/// a pods metric is averaged over the ready pods against its <c>averageValue</c> (missing and unready pods handled as
/// for resources); an object metric's <c>value</c> scales the ready pods by its ratio to the target, its
/// <c>averageValue</c> divides it among the pods. Values are carried in thousandths, as quantities are.
/// </summary>
internal sealed partial class HorizontalPodAutoscalerController
{
    private const string CustomMetricsPrefix = "/apis/custom.metrics.k8s.io/v1beta2";

    private async Task<(int, string, MetricStatus)> PodsProposalAsync(Hpa hpa, PodsMetricSource source, int current, string selector, DateTimeOffset now, CancellationToken ct)
    {
        var metric = source.Metric?.Name ?? "";
        var ns = hpa.Metadata.Namespace!;
        var query = $"?labelSelector={Uri.EscapeDataString(selector)}{MetricSelectorQuery(source.Metric)}";
        var list = await ReadCustomAsync($"/namespaces/{Uri.EscapeDataString(ns)}/pods/*/{Uri.EscapeDataString(metric)}{query}", "FailedGetPodsMetric", metric, ct);
        var values = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var item in Items(list))
            if ((string?)item["describedObject"]?["name"] is { } pod && Milli((string?)item["value"]) is { } v)
                values[pod] = new PodMetric(v, Timestamp(item), TimeSpan.FromSeconds((long?)item["windowSeconds"] ?? 0));
        var target = Milli(source.Target?.AverageValue) ?? throw new MetricException("FailedGetPodsMetric", $"unable to get metric {metric}: the target averageValue is not a quantity");
        ReplicaCalculator.Result result;
        try
        {
            result = ReplicaCalculator.Calculate(current, "", null, target, Informers.Pods.List(ns, Selector.Parse(selector)), values, now);
        }
        catch (InvalidOperationException ex)
        {
            throw new MetricException("FailedGetPodsMetric", $"unable to get metric {metric}: {ex.Message}");
        }
        var status = new MetricStatus
        {
            Type = "Pods",
            Pods = new PodsMetricStatus { Metric = source.Metric, Current = new MetricValueStatus { AverageValue = Quantity.FormatMilli(result.AverageValue) } },
        };
        return (result.Replicas, $"pods metric {metric}", status);
    }

    private async Task<(int, string, MetricStatus)> ObjectProposalAsync(Hpa hpa, ObjectMetricSource source, int current, string selector, CancellationToken ct)
    {
        var metric = source.Metric?.Name ?? "";
        var described = source.DescribedObject!;
        var ns = hpa.Metadata.Namespace!;
        var group = described.ApiVersion is { } apiVersion && apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        var kind = ResourceKinds.All.FirstOrDefault(k => k.Namespaced && k.Kind == described.Kind && k.Group == group)
            ?? throw new MetricException("FailedGetObjectMetric", $"unable to get metric {metric}: {described.Kind} on {described.ApiVersion} {described.Name}/object metrics: no namespaced kind {described.Kind} in group \"{group}\"");
        var resource = kind.Group.Length == 0 ? kind.Plural : $"{kind.Plural}.{kind.Group}";
        var path = $"/namespaces/{Uri.EscapeDataString(ns)}/{resource}/{Uri.EscapeDataString(described.Name!)}/{Uri.EscapeDataString(metric)}";
        var query = MetricSelectorQuery(source.Metric);
        var list = await ReadCustomAsync(path + (query.Length > 0 ? "?" + query[1..] : ""), "FailedGetObjectMetric", metric, ct);
        var items = Items(list).ToList();
        if (items.Count != 1 || Milli((string?)items[0]["value"]) is not { } usage)
            throw new MetricException("FailedGetObjectMetric", $"unable to get metric {metric}: {described.Kind} on {ns} {described.Name}/unable to fetch metrics from custom metrics API: the custom metrics API server returned {items.Count} results when we asked for exactly one");

        int replicas;
        MetricValueStatus currentValue;
        if (Milli(source.Target?.Value) is { } targetValue)
        {
            var ratio = (double)usage / targetValue;
            replicas = Math.Abs(1.0 - ratio) <= ReplicaCalculator.Tolerance && current != 0 ? current
                : (int)Math.Ceiling(ratio * (current == 0 ? 1 : ReadyPods(ns, selector)));
            currentValue = new MetricValueStatus { Value = Quantity.FormatMilli(usage) };
        }
        else
        {
            var targetAverage = Milli(source.Target?.AverageValue) ?? throw new MetricException("FailedGetObjectMetric", $"unable to get metric {metric}: no target value or averageValue");
            var ratio = (double)usage / ((double)targetAverage * Math.Max(current, 1));
            replicas = Math.Abs(1.0 - ratio) <= ReplicaCalculator.Tolerance ? current : (int)Math.Ceiling((double)usage / targetAverage);
            currentValue = new MetricValueStatus { AverageValue = Quantity.FormatMilli(usage / Math.Max(current, 1)) };
        }
        var status = new MetricStatus
        {
            Type = "Object",
            Object = new ObjectMetricStatus { DescribedObject = described, Metric = source.Metric, Current = currentValue },
        };
        return (replicas, $"{described.Kind} metric {metric}", status);
    }

    /// <summary>Kubernetes' getReadyPodsCount: running pods whose Ready condition is True.</summary>
    private int ReadyPods(string ns, string selector) =>
        Informers.Pods.List(ns, Selector.Parse(selector)).Count(p => p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c is { Type: "Ready", Status: "True" }) == true);

    private async Task<JsonObject> ReadCustomAsync(string path, string reason, string metric, CancellationToken ct)
    {
        try
        {
            return await Api.GetAsync<JsonObject>(CustomMetricsPrefix + path, ct)
                ?? throw new MetricException(reason, $"unable to get metric {metric}: unable to fetch metrics from custom metrics API: the server could not find the metric {metric}");
        }
        catch (HttpRequestException ex)
        {
            throw new MetricException(reason, $"unable to get metric {metric}: unable to fetch metrics from custom metrics API: {ex.Message}");
        }
    }

    private static IEnumerable<JsonObject> Items(JsonObject list) => list["items"]?.AsArray().OfType<JsonObject>() ?? [];

    private static string MetricSelectorQuery(MetricIdentifier? metric) =>
        metric?.Selector is { } s && Selector.FromLabelSelector(s) is { IsEmpty: false } parsed ? $"&metricLabelSelector={Uri.EscapeDataString(parsed.ToString())}" : "";

    private static long? Milli(string? quantity) => Quantity.TryParse(quantity, out var q) ? Quantity.ToMilli(q) : null;

    private DateTimeOffset Timestamp(JsonObject item) =>
        DateTimeOffset.TryParse((string?)item["timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : Time.GetUtcNow();
}
