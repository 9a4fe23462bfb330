using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.Scheduler.Informers;
using Platform.Scheduler.Leader;
using Platform.Scheduler.Queue;
using Platform.Scheduler.Recording;

namespace Platform.Scheduler.Framework;

/// <summary>
/// kube-scheduler's scheduleOne: pop a pod, run the cycle under the cache lock, assume the pod on the chosen node
/// so the next cycle already counts it, and bind asynchronously on a pool of binding workers. A failed bind forgets
/// the assumption and requeues the pod with back-off. Starts when this process is the leader and the informers synced.
/// </summary>
internal sealed partial class SchedulingLoop(
    SchedulingQueue queue,
    SchedulerCache cache,
    SchedulingAlgorithm algorithm,
    ClusterEvents events,
    ILeaderGate leader,
    OutcomeRecorder recorder,
    SchedulerMetrics metrics,
    SchedulerOptions options,
    TimeProvider time,
    ILogger<SchedulingLoop> logger,
    Plugins.DefaultPreemption.Preemptor? preemptor = null) : BackgroundService
{
    private readonly Channel<(QueuedPodInfo Pod, string Node, CycleState State)> _binds =
        Channel.CreateBounded<(QueuedPodInfo, string, CycleState)>(Math.Max(1, options.BindConcurrency) * 4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await leader.WaitForLeadershipAsync(stoppingToken);
        await events.WaitSyncedAsync(stoppingToken);
        var binders = Enumerable.Range(0, Math.Max(1, options.BindConcurrency)).Select(_ => BindWorkerAsync(stoppingToken)).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var qp = await queue.PopAsync(stoppingToken);
                await ScheduleOneAsync(qp, stoppingToken);
            }
        }
        finally
        {
            _binds.Writer.TryComplete();
            await Task.WhenAll(binders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal async Task ScheduleOneAsync(QueuedPodInfo qp, CancellationToken ct)
    {
        var cycle = queue.SchedulingCycle;
        var pod = qp.Pod;
        var state = new CycleState();
        ScheduleResult result;
        lock (cache.SyncRoot)
        {
            if (cache.GetPod(pod.Key) is not null)
            {
                queue.Done(pod.Key); // bound meanwhile (another scheduler, or an event we had not seen)
                return;
            }
            result = algorithm.Schedule(state, pod, cache);
            if (result.Succeeded && !Reserve(state, pod, result.NodeName!, out var reserveError)) result = result with { NodeName = null, Error = reserveError };
        }
        if (result.Succeeded)
        {
            await _binds.Writer.WriteAsync((qp, result.NodeName!, state), ct);
            return;
        }
        if (result.Error is { } error)
        {
            metrics.Attempt("error");
            LogCycleError(logger, pod.Key, error.ToString());
            recorder.FailedScheduling(pod, $"running \"{error.Plugin}\": {string.Join(", ", error.Reasons)}");
            queue.AddBackoff(qp);
            return;
        }
        var message = result.Diagnosis!.Message();
        if (result.Preemption is { NominatedNode: { } nominated, Victims: { } victims } && preemptor is not null)
        {
            try
            {
                await preemptor.PreemptAsync(pod, nominated, victims, ct);
                lock (cache.SyncRoot) cache.Nominate(pod, nominated);
                LogPreempted(logger, pod.Key, nominated, victims.Count);
            }
            catch (HttpRequestException ex)
            {
                LogPreemptionFailed(logger, pod.Key, nominated, ex.Message);
            }
        }
        metrics.Attempt("unschedulable");
        LogUnschedulable(logger, pod.Key, message);
        recorder.FailedScheduling(pod, message);
        queue.AddUnschedulable(qp, cycle);
    }

    /// <summary>Assumes the pod on the node, then runs Reserve plugins; undoes both when one refuses.</summary>
    private bool Reserve(CycleState state, PodInfo pod, string node, out Status? error)
    {
        cache.Assume(pod, node);
        var reserved = new List<IReservePlugin>();
        foreach (var p in algorithm.Profile.Reserve)
        {
            var s = p.Reserve(state, pod, node);
            if (!s.IsSuccess)
            {
                foreach (var r in reserved) r.Unreserve(state, pod, node);
                cache.Forget(pod.Key);
                error = s.WithPlugin(p.Name);
                return false;
            }
            reserved.Add(p);
        }
        error = null;
        return true;
    }

    private async Task BindWorkerAsync(CancellationToken ct)
    {
        await foreach (var (qp, node, state) in _binds.Reader.ReadAllAsync(CancellationToken.None))
        {
            Status status;
            try { status = await BindAsync(qp.Pod, node, state, ct); }
            catch (HttpRequestException ex) { status = Status.Error(ex.Message); }
            // An HTTP timeout (not our shutdown) is a failed bind like any other: forget, back off, retry.
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested) { status = Status.Error("the apiserver did not answer in time: " + ex.Message); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { status = Status.Error("shutting down"); }
            Finish(qp, node, state, status);
        }
    }

    private async Task<Status> BindAsync(PodInfo pod, string node, CycleState state, CancellationToken ct)
    {
        foreach (var p in algorithm.Profile.PreBind)
        {
            var s = await p.PreBindAsync(state, pod, node, ct);
            if (!s.IsSuccess && s.Code != StatusCode.Skip) return s.WithPlugin(p.Name);
        }
        foreach (var b in algorithm.Profile.Bind)
        {
            var s = await b.BindAsync(pod, node, ct);
            if (s.Code != StatusCode.Skip) return s.WithPlugin(b.Name);
        }
        return Status.Error("no bind plugin bound the pod");
    }

    private void Finish(QueuedPodInfo qp, string node, CycleState state, Status status)
    {
        var pod = qp.Pod;
        if (status.IsSuccess)
        {
            queue.Done(pod.Key);
            metrics.Attempt("scheduled");
            metrics.Latency(time.GetUtcNow() - qp.InitialTimestamp);
            recorder.Scheduled(pod, node);
            return;
        }
        metrics.BindFailed();
        lock (cache.SyncRoot)
        {
            cache.Forget(pod.Key);
            foreach (var r in algorithm.Profile.Reserve) r.Unreserve(state, pod, node);
        }
        LogBindFailed(logger, pod.Key, node, status.ToString());
        if (status.Code == StatusCode.UnschedulableAndUnresolvable)
        {
            queue.Done(pod.Key); // already bound elsewhere: its event brings it into the cache
            return;
        }
        metrics.Attempt("error");
        recorder.FailedScheduling(pod, $"Binding rejected: {string.Join(", ", status.Reasons)}");
        queue.AddBackoff(qp);
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "pod {Pod} is unschedulable: {Message}")]
    private static partial void LogUnschedulable(ILogger logger, string pod, string message);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "scheduling pod {Pod} failed: {Error}")]
    private static partial void LogCycleError(ILogger logger, string pod, string error);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "pod {Pod} preempted {Victims} pod(s) on {Node}")]
    private static partial void LogPreempted(ILogger logger, string pod, string node, int victims);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Warning, Message = "preemption for pod {Pod} on {Node} failed: {Error}")]
    private static partial void LogPreemptionFailed(ILogger logger, string pod, string node, string error);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "binding pod {Pod} to {Node} failed: {Status}")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, string status);
}
