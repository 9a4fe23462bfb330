using System.Diagnostics.Metrics;

namespace Platform.Scheduler;

/// <summary>Counters on <c>/metrics</c> (meter <c>Platform.Scheduler</c>), also readable in-process by tests and the benchmark.</summary>
internal sealed class SchedulerMetrics : IDisposable
{
    private readonly Meter _meter = new("Platform.Scheduler");
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _moved;
    private readonly Histogram<double> _latency;
    private long _scheduled, _unschedulable, _errors, _bindFailures, _conditionsDropped, _attemptsTotal;

    public SchedulerMetrics()
    {
        _attempts = _meter.CreateCounter<long>("scheduler_schedule_attempts", description: "scheduling attempts by result (scheduled, unschedulable, error)");
        _moved = _meter.CreateCounter<long>("scheduler_queue_incoming_pods", description: "unschedulable pods moved back by a cluster event");
        _latency = _meter.CreateHistogram<double>("scheduler_pod_scheduling_duration_seconds", "s", "from first enqueue to bound");
    }

    public long Attempts => Interlocked.Read(ref _attemptsTotal);
    public long Scheduled => Interlocked.Read(ref _scheduled);
    public long Unschedulable => Interlocked.Read(ref _unschedulable);
    public long Errors => Interlocked.Read(ref _errors);
    public long BindFailures => Interlocked.Read(ref _bindFailures);
    /// <summary>PodScheduled=False conditions not written; Events dropped are the client kit's <c>platform_events_dropped_total</c>.</summary>
    public long ConditionsDropped => Interlocked.Read(ref _conditionsDropped);

    public void Attempt(string result)
    {
        Interlocked.Increment(ref _attemptsTotal);
        switch (result)
        {
            case "scheduled": Interlocked.Increment(ref _scheduled); break;
            case "unschedulable": Interlocked.Increment(ref _unschedulable); break;
            default: Interlocked.Increment(ref _errors); break;
        }
        _attempts.Add(1, new KeyValuePair<string, object?>("result", result));
    }

    public void BindFailed() => Interlocked.Increment(ref _bindFailures);
    public void ConditionDropped() => Interlocked.Increment(ref _conditionsDropped);
    public void Moved(string evt, int count) => _moved.Add(count, new KeyValuePair<string, object?>("event", evt));
    public void Latency(TimeSpan t) => _latency.Record(t.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
