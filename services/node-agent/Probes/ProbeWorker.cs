using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Probes;

/// <summary>
/// Runs one probe of one container periodically with Kubernetes' defaults (period 10 s, timeout 1 s, success 1,
/// failure 3, no initial delay) and keeps the thresholded result. Owned by the pod worker, which disposes it when
/// the container goes away; a change of result wakes the pod worker through <c>onChange</c>.
/// </summary>
internal sealed class ProbeWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _successes;
    private int _failures;

    /// <param name="wasReady">
    /// The container was already running and reported ready before this agent started (it was restarted, the container
    /// was not): readiness starts from that, as kubelet does, instead of withdrawing a serving pod until the first probe.
    /// </param>
    public ProbeWorker(ProbeKind kind, Probe probe, ProbeTarget target, Prober prober, TimeProvider time, Func<ProbeWorker, string?, Task> onChange, bool wasReady = false)
    {
        Kind = kind;
        // Readiness starts as failed (not ready until proven) unless it was proven before a restart of the agent;
        // liveness and startup as unknown (no action taken).
        Result = kind == ProbeKind.Readiness ? wasReady : null;
        _loop = RunAsync(probe, target, prober, time, onChange, _stop.Token);
    }

    public ProbeKind Kind { get; }

    /// <summary>True after <c>successThreshold</c> successes in a row, false after <c>failureThreshold</c> failures, null before either.</summary>
    public bool? Result { get; private set; }

    public string? LastFailure { get; private set; }

    private async Task RunAsync(Probe probe, ProbeTarget target, Prober prober, TimeProvider time, Func<ProbeWorker, string?, Task> onChange, CancellationToken ct)
    {
        await Task.Yield();
        var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));
        var successThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        try
        {
            if (probe.InitialDelaySeconds is > 0 and var d) await Task.Delay(TimeSpan.FromSeconds(d), time, ct);
            while (!ct.IsCancellationRequested)
            {
                var failure = await prober.RunAsync(probe, target, ct);
                // Stopped while the attempt ran (the container is going away): its result means nothing.
                if (ct.IsCancellationRequested) break;
                var before = Result;
                if (failure is null)
                {
                    _failures = 0;
                    if (++_successes >= successThreshold) Result = true;
                }
                else
                {
                    _successes = 0;
                    LastFailure = failure;
                    if (++_failures >= failureThreshold) Result = false;
                }
                if (failure is not null || before != Result) await onChange(this, failure);
                await Task.Delay(period, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
