using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Discovery;

/// <summary>
/// Readiness of the registry view: ready once the first fetch succeeded (or no registry is configured). Later outages
/// of discovery keep it ready: the gateway serves from the copy it has, as Spring Cloud LoadBalancer's cache does.
/// </summary>
internal sealed class RegistryReadiness(IOptions<GatewayOptions> options) : IHealthCheck
{
    private volatile bool _loaded = string.IsNullOrWhiteSpace(options.Value.Discovery.EurekaUrl);

    public void Loaded() => _loaded = true;

    /// <summary>Whether the first fetch is in (or no registry is configured): an application missing now is really missing.</summary>
    public bool IsLoaded => _loaded;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_loaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the registry has not answered the first fetch yet"));
}
