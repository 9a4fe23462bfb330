using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Scheduler.Informers;
using Platform.Scheduler.Leader;

namespace Platform.Scheduler;

/// <summary><c>/readyz</c>: ready once the informers listed the cluster; says whether this process leads or stands by.</summary>
internal sealed class SchedulerReadiness(ClusterEvents events, ILeaderGate leader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(events.IsSynced
            ? HealthCheckResult.Healthy(leader.IsLeader ? "leading" : "standing by")
            : HealthCheckResult.Unhealthy("informers not synced yet"));
}
