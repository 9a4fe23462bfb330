using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// Readiness for a process that serves what its informers hold: unhealthy until every informer of the factory has its
/// first list, so a (re)started replica takes no traffic with an empty or partial view.
/// </summary>
public sealed class InformersSyncedCheck(SharedInformerFactory informers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = informers.Informers.Where(i => !i.HasSynced).Select(i => i.Kind.Plural).ToList();
        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"not listed from the apiserver yet: {string.Join(", ", waiting)}"));
    }
}

public static class InformersSyncedCheckExtensions
{
    /// <summary>Adds <see cref="InformersSyncedCheck"/> under <paramref name="name"/> with <paramref name="tags"/> (the readiness tag).</summary>
    public static IHealthChecksBuilder AddInformersSynced(this IHealthChecksBuilder builder, string name, params string[] tags) =>
        builder.AddCheck<InformersSyncedCheck>(name, tags: tags);
}
