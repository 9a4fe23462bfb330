using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;
using Hpa = Platform.Contracts.Resources.HorizontalPodAutoscaler;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>
/// kube-controller-manager's horizontal pod autoscaler: every <c>ControllerManager:HorizontalPodAutoscalerSyncPeriod</c>
/// each autoscaler reads its target's <c>/scale</c>, its pods (informer) and their usage (<c>metrics.k8s.io</c>),
/// computes the replicas each metric wants (<see cref="ReplicaCalculator"/>), takes the largest, applies the behavior
/// (<see cref="BehaviorLimits"/>) and min/max, rescales through <c>/scale</c>, and writes status, conditions and events.
/// </summary>
internal sealed partial class HorizontalPodAutoscalerController : Controller
{
    private readonly EventRecorder _events;
    private readonly ILogger _log;
    private readonly TimeSpan _syncPeriod;
    private readonly ConcurrentDictionary<string, ScalingHistory> _history = new();

    public HorizontalPodAutoscalerController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time,
        ILogger<HorizontalPodAutoscalerController> logger) : base(informers, api, options, time, logger)
    {
        _events = events;
        _log = logger;
        _syncPeriod = options.Value.HorizontalPodAutoscalerSyncPeriod;
        informers.HorizontalPodAutoscalers.OnChange((old, now) =>
        {
            // Its own status writes come back as changes: only a new spec (or a new object) needs a sync before the period.
            if (now is null || old is null || old.Metadata.Generation != now.Metadata.Generation) Queue.Add(ObjectKeys.KeyOf(now ?? old!));
        });
    }

    protected override string Name => "horizontalpodautoscaler";

    protected override IEnumerable<string> AllKeys() => Informers.HorizontalPodAutoscalers.List().Select(ObjectKeys.KeyOf);

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var hpa = Informers.HorizontalPodAutoscalers.Get(key);
        if (hpa is null || hpa.Metadata.DeletionTimestamp is not null)
        {
            _history.TryRemove(key, out _);
            return;
        }
        try
        {
            await SyncAsync(key, hpa, ct);
        }
        finally
        {
            Queue.AddAfter(key, _syncPeriod);
        }
    }

    private async Task SyncAsync(string key, Hpa hpa, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var spec = hpa.Spec;
        var conditions = new Conditions(hpa.Status?.Conditions, now);
        var reference = $"{spec.ScaleTargetRef?.Kind}/{spec.ScaleTargetRef?.Name}";
        var scalePath = ScalePath(hpa);
        JsonObject? scale = null;
        string? scaleError = null;
        try
        {
            scale = scalePath is null ? null : await Api.GetAsync<JsonObject>(scalePath, ct);
            if (scale is null) scaleError = scalePath is null ? $"the server could not find the requested resource (kind {spec.ScaleTargetRef?.Kind} has no /scale)" : $"{reference} not found";
        }
        catch (HttpRequestException ex)
        {
            scaleError = ex.Message;
        }
        if (scale is null)
        {
            _events.Record(hpa, "Warning", "FailedGetScale", scaleError!);
            conditions.Set("AbleToScale", "False", "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {scaleError}");
            await WriteStatusAsync(hpa, hpa.Status?.CurrentReplicas ?? 0, hpa.Status?.DesiredReplicas ?? 0, hpa.Status?.CurrentMetrics, null, conditions, ct);
            return;
        }
        var current = (int?)scale["spec"]?["replicas"] ?? 0;
        var min = spec.MinReplicas ?? 1;
        var history = _history.GetOrAdd(key, _ => new ScalingHistory());
        history.Trim(now, TimeSpan.FromHours(1));

        int desired;
        string rescaleReason = "";
        List<MetricStatus>? currentMetrics = hpa.Status?.CurrentMetrics;
        if (current == 0 && min != 0)
        {
            desired = 0;
            conditions.Set("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
        }
        else if (current > spec.MaxReplicas || current < min)
        {
            desired = Math.Clamp(current, min, spec.MaxReplicas);
            rescaleReason = current > spec.MaxReplicas ? "Current number of replicas above Spec.MaxReplicas" : "Current number of replicas below Spec.MinReplicas";
        }
        else
        {
            var selector = (string?)scale["status"]?["selector"];
            var proposal = await ProposeAsync(hpa, current, selector, now, conditions, ct);
            if (proposal is null)
            {
                await WriteStatusAsync(hpa, current, hpa.Status?.DesiredReplicas ?? current, currentMetrics, null, conditions, ct);
                return;
            }
            currentMetrics = proposal.Value.Metrics;
            conditions.Set("ScalingActive", "True", "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {proposal.Value.MetricName}");
            var outcome = BehaviorLimits.Normalize(spec.Behavior, history, current, proposal.Value.Replicas, min, spec.MaxReplicas, now);
            desired = outcome.Replicas;
            conditions.Set("ScalingLimited", outcome.Limited ? "True" : "False", outcome.LimitReason, outcome.LimitMessage);
            if (outcome.StabilizedReason is { } stabilized)
                conditions.Set("AbleToScale", "True", stabilized, stabilized == "ScaleDownStabilized"
                    ? "recent recommendations were higher than current one, applying the highest recent recommendation"
                    : "recent recommendations were lower than current one, applying the lowest recent recommendation");
            else conditions.Set("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size");
            rescaleReason = desired > current ? $"{proposal.Value.MetricName} above target" : "All metrics below target";
        }

        DateTimeOffset? scaledAt = null;
        if (desired != current)
        {
            try
            {
                await Api.MergePatchAsync(scalePath!, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = desired } }, ct);
            }
            catch (HttpRequestException ex)
            {
                _events.Record(hpa, "Warning", "FailedRescale", $"New size: {desired}; reason: {rescaleReason}; error: {ex.Message}");
                conditions.Set("AbleToScale", "False", "FailedUpdateScale", $"the HPA controller was unable to update the target scale: {ex.Message}");
                await WriteStatusAsync(hpa, current, hpa.Status?.DesiredReplicas ?? current, currentMetrics, null, conditions, ct);
                return;
            }
            (desired > current ? history.ScaleUps : history.ScaleDowns).Add((now, Math.Abs(desired - current)));
            scaledAt = now;
            _events.Record(hpa, "Normal", "SuccessfulRescale", $"New size: {desired}; reason: {rescaleReason}");
            conditions.Set("AbleToScale", "True", "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}");
            Rescaled(key, current, desired, rescaleReason);
        }
        await WriteStatusAsync(hpa, current, desired, currentMetrics, scaledAt, conditions, ct);
    }

    /// <summary>The target's <c>/scale</c> path: a kind served here with a <c>scale</c> subresource (Deployment, ReplicaSet, StatefulSet when served), else null.</summary>
    private static string? ScalePath(Hpa hpa)
    {
        var target = hpa.Spec.ScaleTargetRef;
        if (target?.Name is not { Length: > 0 } name) return null;
        var group = target.ApiVersion is { } v && v.Contains('/') ? v[..v.IndexOf('/')] : "";
        var kind = ResourceKinds.All.FirstOrDefault(k => k.Kind == target.Kind && k.Subresources.Contains("scale") && (target.ApiVersion is null || k.Group == group));
        return kind is null ? null : kind.ObjectPath(hpa.Metadata.Namespace, name) + "/scale";
    }

    private async Task WriteStatusAsync(Hpa hpa, int current, int desired, List<MetricStatus>? metrics, DateTimeOffset? scaledAt, Conditions conditions, CancellationToken ct)
    {
        var status = new HorizontalPodAutoscalerStatus
        {
            ObservedGeneration = hpa.Metadata.Generation,
            LastScaleTime = scaledAt ?? hpa.Status?.LastScaleTime,
            CurrentReplicas = current,
            DesiredReplicas = desired,
            CurrentMetrics = metrics,
            Conditions = conditions.List,
        };
        await Api.PatchStatusAsync(ResourceKinds.HorizontalPodAutoscaler, hpa, System.Text.Json.JsonSerializer.SerializeToNode(status, ResourceJson.Options)!, ct);
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "horizontalpodautoscaler {Key}: rescaled {From} -> {To}: {Reason}")]
    private partial void Rescaled(string key, int from, int to, string reason);
}
