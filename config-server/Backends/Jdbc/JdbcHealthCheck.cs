using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Platform.ConfigServer.Backends.Jdbc;

/// <summary>Ready when the properties table can be read.</summary>
internal sealed class JdbcHealthCheck(NpgsqlDataSource dataSource, IOptions<JdbcOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand($"SELECT 1 FROM {options.Value.Table} LIMIT 1");
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy($"{JdbcOptions.Section}: table {options.Value.Table} cannot be read: {ex.Message}");
        }
    }
}
