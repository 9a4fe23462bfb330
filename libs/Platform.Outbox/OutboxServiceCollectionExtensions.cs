using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the outbox relay (needs an <c>NpgsqlDataSource</c> and <c>AddEventBus()</c>) and a readiness check
    /// that is unhealthy while the relay cannot publish.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddOptions<OutboxRelayOptions>().BindConfiguration(OutboxRelayOptions.Section)
            .Validate(o => o.BatchSize is > 0 and <= 50_000, "Outbox:BatchSize: must be between 1 and 50000")
            .Validate(o => o.IdleWakeup > TimeSpan.Zero, "Outbox:IdleWakeup: must be > 0")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxRelayState>();
        services.AddHostedService<OutboxRelay>();
        services.AddHealthChecks().AddCheck<OutboxRelayHealthCheck>("outbox-relay", tags: ["ready"]);
        return services;
    }
}

internal sealed class OutboxRelayHealthCheck(OutboxRelayState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Phase switch
        {
            "Active" or "Standby" => HealthCheckResult.Healthy(state.Phase),
            _ => HealthCheckResult.Unhealthy($"outbox relay {state.Phase}: {state.LastError}"),
        });
}
