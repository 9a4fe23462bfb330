using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Hpa = Platform.Contracts.Resources.HorizontalPodAutoscaler;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

internal sealed partial class HorizontalPodAutoscalerController
{
    /// <summary>
    /// Kubernetes' computeReplicasForMetrics: each metric's proposal, the largest wins. When every metric fails, or
    /// some fail and the others would scale down, nothing is proposed and ScalingActive is False with the first
    /// failure's reason. <c>Resource</c> reads <c>metrics.k8s.io</c>, <c>Pods</c> and <c>Object</c> read
    /// <c>custom.metrics.k8s.io</c>; <c>External</c> and <c>ContainerResource</c> fail: no external metrics API is served.
    /// </summary>
    private async Task<(int Replicas, string MetricName, List<MetricStatus> Metrics)?> ProposeAsync(Hpa hpa, int current, string? selector, DateTimeOffset now,
        Conditions conditions, CancellationToken ct)
    {
        var specs = hpa.Spec.Metrics ?? [];
        var statuses = new List<MetricStatus>();
        int replicas = 0, invalid = 0;
        string metricName = "";
        (string Reason, string Message)? firstError = null;
        var usageCache = new Dictionary<string, Dictionary<string, PodMetric>>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            try
            {
                if (selector is not { Length: > 0 }) throw new MetricException("InvalidSelector", "selector is required");
                var (proposed, name, status) = spec switch
                {
                    { Type: "Resource", Resource: { Name: { } resource, Target: { } target } } => await ResourceProposalAsync(hpa, resource, target, current, selector, now, usageCache, ct),
                    { Type: "Pods", Pods: { } pods } => await PodsProposalAsync(hpa, pods, current, selector, now, ct),
                    { Type: "Object", Object: { } obj } => await ObjectProposalAsync(hpa, obj, current, selector, ct),
                    _ => throw new MetricException($"FailedGet{spec.Type}Metric",
                        $"unable to get metric {MetricLabel(spec)}: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered"),
                };
                statuses.Add(status);
                if (replicas == 0 || proposed > replicas)
                {
                    replicas = proposed;
                    metricName = name;
                }
            }
            catch (MetricException ex)
            {
                _events.Record(hpa, "Warning", ex.Reason, ex.Message);
                firstError ??= (ex.Reason, ex.Message);
                invalid++;
                statuses.Add(new MetricStatus { Type = "" });
            }
        }
        if (firstError is { } error && (invalid >= specs.Count || replicas < current))
        {
            conditions.Set("ScalingActive", "False", error.Reason, $"the HPA was unable to compute the replica count: {error.Message}");
            _events.Record(hpa, "Warning", "FailedComputeMetricsReplicas", $"invalid metrics ({invalid} invalid out of {specs.Count}), first error is: {error.Message}");
            return null;
        }
        return (replicas, metricName, statuses);
    }

    private async Task<(int, string, MetricStatus)> ResourceProposalAsync(Hpa hpa, string resource, MetricTarget target, int current, string selector, DateTimeOffset now,
        Dictionary<string, Dictionary<string, PodMetric>> usageCache, CancellationToken ct)
    {
        var pods = Informers.Pods.List(hpa.Metadata.Namespace, Selector.Parse(selector));
        if (!usageCache.TryGetValue(resource, out var usage)) usageCache[resource] = usage = await PodUsageAsync(hpa.Metadata.Namespace!, selector, resource, ct);
        var averageTarget = target.AverageValue is { } av && Quantity.TryParse(av, out var q) ? ReplicaCalculator.Units(resource, q) : (long?)null;
        var utilizationTarget = target.AverageValue is null ? target.AverageUtilization : null;
        ReplicaCalculator.Result result;
        try
        {
            result = ReplicaCalculator.Calculate(current, resource, utilizationTarget, averageTarget, pods, usage, now);
        }
        catch (InvalidOperationException ex)
        {
            throw new MetricException("FailedGetResourceMetric", $"failed to get {resource} utilization: {ex.Message}");
        }
        var status = new MetricStatus
        {
            Type = "Resource",
            Resource = new ResourceMetricStatus
            {
                Name = resource,
                Current = new MetricValueStatus { AverageUtilization = result.Utilization, AverageValue = resource == "cpu" ? $"{result.AverageValue}m" : result.AverageValue.ToString(CultureInfo.InvariantCulture) },
            },
        };
        return (result.Replicas, utilizationTarget is null ? $"{resource} resource" : $"{resource} resource utilization (percentage of request)", status);
    }

    private static string MetricLabel(MetricSpec spec) =>
        spec.Pods?.Metric?.Name ?? spec.Object?.Metric?.Name ?? (string?)spec.External?["metric"]?["name"] ?? (string?)spec.ContainerResource?["name"] ?? spec.Type ?? "";

    /// <summary>The pods' usage of <paramref name="resource"/> from <c>metrics.k8s.io</c>, summed over each pod's containers (millicores or bytes).</summary>
    private async Task<Dictionary<string, PodMetric>> PodUsageAsync(string ns, string selector, string resource, CancellationToken ct)
    {
        JsonObject? list;
        try
        {
            list = await Api.GetAsync<JsonObject>($"/apis/metrics.k8s.io/v1beta1/namespaces/{Uri.EscapeDataString(ns)}/pods?labelSelector={Uri.EscapeDataString(selector)}", ct);
        }
        catch (HttpRequestException ex)
        {
            throw new MetricException("FailedGetResourceMetric", $"failed to get {resource} utilization: unable to get metrics for resource {resource}: unable to fetch metrics from resource metrics API: {ex.Message}");
        }
        var result = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var item in list?["items"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            long sum = 0;
            foreach (var c in item["containers"]?.AsArray().OfType<JsonObject>() ?? [])
                if (Quantity.TryParse((string?)c["usage"]?[resource], out var v)) sum += ReplicaCalculator.Units(resource, v);
            var at = DateTimeOffset.TryParse((string?)item["timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : Time.GetUtcNow();
            result[(string?)item["metadata"]?["name"] ?? ""] = new PodMetric(sum, at, GoDurationParser.Parse((string?)item["window"]));
        }
        if (result.Count == 0)
            throw new MetricException("FailedGetResourceMetric", $"failed to get {resource} utilization: unable to get metrics for resource {resource}: no metrics returned from resource metrics API");
        return result;
    }

    private sealed class MetricException(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}
