using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;
using Platform.Scheduler.Informers;

namespace Platform.Scheduler.Recording;

/// <summary>
/// Writes Scheduled / FailedScheduling Events and the PodScheduled=False condition through the apiserver, off the
/// scheduling path: a bounded channel drained by a few workers. When the apiserver falls behind, the oldest
/// explanations are dropped (and counted) rather than slowing scheduling down, as kube-scheduler's event broadcaster does.
/// </summary>
internal sealed partial class EventRecorder(ApiClient api, SchedulerOptions options, SchedulerMetrics metrics, TimeProvider time, ILogger<EventRecorder> logger) : BackgroundService
{
    private readonly Channel<PodEventRecord> _channel = Channel.CreateBounded<PodEventRecord>(new BoundedChannelOptions(options.EventQueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
    }, _ => metrics.EventDropped());

    public void Scheduled(PodInfo pod, string node) =>
        _channel.Writer.TryWrite(new PodEventRecord(pod, "Normal", "Scheduled", $"Successfully assigned {pod.Key} to {node}", false));

    public void FailedScheduling(PodInfo pod, string message) =>
        _channel.Writer.TryWrite(new PodEventRecord(pod, "Warning", "FailedScheduling", message, true));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.EventConcurrency).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var record in _channel.Reader.ReadAllAsync(ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await WriteAsync(record, ct);
                    break;
                }
                catch (Exception ex) when (attempt < 3 && IsTransient(ex, ct))
                {
                    LogWriteRetry(logger, ex, record.Reason, record.Pod.Key, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, ct);
                }
                catch (Exception ex) when (IsTransient(ex, ct))
                {
                    metrics.EventDropped();
                    LogWriteFailed(logger, ex, record.Reason, record.Pod.Key);
                    break;
                }
            }
        }
    }

    /// <summary>The apiserver refused or did not answer in time (not our own shutdown).</summary>
    private static bool IsTransient(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    private async Task WriteAsync(PodEventRecord r, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (r.Unschedulable) await api.PatchPodStatusAsync(r.Pod.Namespace, r.Pod.Name, ConditionPatch(r.Pod.Pod, r.Message, now), ct);
        var meta = r.Pod.Pod.Metadata;
        await api.CreateEventAsync(new Event
        {
            ApiVersion = "v1", Kind = "Event",
            Metadata = new ObjectMeta { Name = $"{meta.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", Namespace = meta.Namespace },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = meta.Namespace, Name = meta.Name, Uid = meta.Uid, ResourceVersion = meta.ResourceVersion },
            Reason = r.Reason, Message = r.Message, Type = r.Type, Count = 1,
            FirstTimestamp = now, LastTimestamp = now,
            Source = new EventSource { Component = options.SchedulerName },
        }, ct);
    }

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

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "writing {Reason} for pod {Pod} failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, Exception ex, string reason, string pod, int attempt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "writing {Reason} for pod {Pod} failed; the explanation is dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, string reason, string pod);
}
