using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ControllerManager.Leader;

/// <summary><c>/readyz</c>: ready while this process runs the controllers; a standby reports who leads instead.</summary>
internal sealed class ControllerManagerReadiness(LeaderElector leader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !leader.Enabled ? HealthCheckResult.Healthy("leader election disabled: running the controllers")
            : leader.IsLeader ? HealthCheckResult.Healthy($"leading: {leader.Identity} holds lease {leader.LeaseName}")
            : HealthCheckResult.Unhealthy($"standing by: lease {leader.LeaseName} is held by {leader.ObservedHolder ?? "nobody yet"}"));
}
