using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.Git;

/// <summary>Ready once the repository has been cloned (cloning now if it was not), so traffic waits for a usable backend.</summary>
internal sealed class GitHealthCheck(GitEnvironmentRepository repository) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await repository.InitializeAsync(cancellationToken);
            return HealthCheckResult.Healthy(repository.Name);
        }
        catch (BackendUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
