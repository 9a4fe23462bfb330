using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Backends.Native;

/// <summary>Ready when every search location without placeholders exists (a typo in a path would otherwise serve nothing, silently).</summary>
internal sealed class NativeHealthCheck(IOptions<NativeOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = options.Value.SearchLocations
            .Where(l => !l.Contains('{', StringComparison.Ordinal) && !Directory.Exists(l))
            .ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{NativeOptions.Section}:SearchLocations: missing folder(s) {string.Join(", ", missing)}"));
    }
}
