using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Platform.Outbox;

public static class PlatformDatabaseExtensions
{
    public const string ConnectionStringKey = "ConnectionStrings:Platform";

    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> unless the connection string sets it (<c>Max Auto Prepare=0</c> turns it off,
    /// as a transaction-pooling PgBouncer needs): the statements every write and read repeats are parsed and planned
    /// once per connection instead of on every execution. Without it Postgres spent a visible share of the
    /// apiserver's write path in its SQL parser (docs/apiserver.md, Benchmark).
    /// </summary>
    public const int DefaultMaxAutoPrepare = 128;

    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:Platform</c> (or env
    /// <c>PLATFORM_DATABASE_URL</c>), a start-up check that fails fast naming the setting and the address when
    /// Postgres does not answer, and a readiness check.
    /// </summary>
    public static IServiceCollection AddPlatformDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var cs = configuration[ConnectionStringKey] ?? configuration["PLATFORM_DATABASE_URL"];
        if (string.IsNullOrWhiteSpace(cs))
            throw new InvalidOperationException($"{ConnectionStringKey}: required (or set PLATFORM_DATABASE_URL)");
        NpgsqlConnectionStringBuilder parsed;
        try { parsed = new NpgsqlConnectionStringBuilder(cs); }
        catch (ArgumentException ex) { throw new InvalidOperationException($"{ConnectionStringKey}: not a valid connection string ({ex.Message})", ex); }
        // Npgsql's own builder reports every keyword it knows as present, so whether the string sets it is read raw.
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = cs };
        if (!raw.ContainsKey("Max Auto Prepare") && !raw.ContainsKey("MaxAutoPrepare")) parsed.MaxAutoPrepare = DefaultMaxAutoPrepare;
        services.AddSingleton(_ => NpgsqlDataSource.Create(parsed));
        services.AddHostedService<PostgresStartupCheck>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return services;
    }
}

internal sealed class PostgresStartupCheck(NpgsqlDataSource db) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var b = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(b.Timeout, 5)));
        try
        {
            await using var conn = await db.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"{PlatformDatabaseExtensions.ConnectionStringKey}: cannot connect to Postgres at {b.Host}:{b.Port} database '{b.Database}' ({ex.Message})", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException ex)
        {
            return HealthCheckResult.Unhealthy($"{PlatformDatabaseExtensions.ConnectionStringKey}: {ex.Message}");
        }
    }
}
