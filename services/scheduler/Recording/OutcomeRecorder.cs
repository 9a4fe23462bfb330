using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Recording;

/// <summary>
/// Explains scheduling outcomes: Scheduled / FailedScheduling Events through the client kit's recorder, and the
/// PodScheduled=False condition of an unschedulable pod, written off the scheduling path by a bounded channel drained by
/// a few workers. When the apiserver falls behind, the oldest conditions are dropped (and counted) rather than slowing
/// scheduling down, as kube-scheduler's event broadcaster does.
/// </summary>
internal sealed partial class OutcomeRecorder(
    ApiClient api, EventRecorder events, SchedulerOptions options, SchedulerMetrics metrics, TimeProvider time, ILogger<OutcomeRecorder> logger)
    : BackgroundService
{
    private readonly Channel<(PodInfo Pod, string Message)> _conditions = Channel.CreateBounded<(PodInfo, string)>(
        new BoundedChannelOptions(options.EventQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest }, _ => metrics.ConditionDropped());

    public void Scheduled(PodInfo pod, string node) =>
        events.Record(pod.Pod, "Normal", "Scheduled", $"Successfully assigned {pod.Key} to {node}");

    public void FailedScheduling(PodInfo pod, string message)
    {
        _conditions.Writer.TryWrite((pod, message));
        events.Record(pod.Pod, "Warning", "FailedScheduling", message);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.EventConcurrency).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var (pod, message) in _conditions.Reader.ReadAllAsync(ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // Gone meanwhile (false): nothing to explain any more.
                    await api.MergePatchAsync(ApiClient.PodPath(pod.Namespace, pod.Name) + "/status", ConditionPatch(pod.Pod, message, time.GetUtcNow()), ct);
                    break;
                }
                catch (Exception ex) when (attempt < 3 && IsTransient(ex, ct))
                {
                    LogWriteRetry(logger, ex, pod.Key, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, ct);
                }
                catch (Exception ex) when (IsTransient(ex, ct))
                {
                    metrics.ConditionDropped();
                    LogWriteFailed(logger, ex, pod.Key);
                    break;
                }
            }
        }
    }

    /// <summary>The apiserver refused or did not answer in time (not our own shutdown).</summary>
    private static bool IsTransient(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>A merge patch replaces the whole list, so the other conditions are carried over unchanged.</summary>
    private static JsonObject ConditionPatch(Pod pod, string message, DateTimeOffset now)
    {
        var conditions = new JsonArray();
        foreach (var c in pod.Status?.Conditions ?? [])
            if (c.Type != "PodScheduled") conditions.Add(JsonSerializer.SerializeToNode(c, ResourceJson.Options));
        conditions.Add(JsonSerializer.SerializeToNode(new Condition
        {
            Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message, LastTransitionTime = now, LastProbeTime = now,
        }, ResourceJson.Options));
        return new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "writing the PodScheduled condition of pod {Pod} failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, Exception ex, string pod, int attempt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "writing the PodScheduled condition of pod {Pod} failed; it is dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, string pod);
}
