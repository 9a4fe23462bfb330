using Microsoft.Extensions.Options;
using Platform.NodeAgent.Metrics;

namespace Platform.NodeAgent.Api;

/// <summary>
/// kubelet's resource usage endpoints on the agent's port, behind <see cref="KubeletAuthFilter"/> like the others:
/// <c>GET /metrics/resource</c> (Prometheus text) and <c>GET /stats/summary</c> (JSON), both from the
/// <see cref="UsageSampler"/>'s last pass.
/// </summary>
internal static class ResourceMetricsEndpoints
{
    public static IServiceCollection AddResourceMetrics(this IServiceCollection services)
    {
        services.AddSingleton<UsageSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageSampler>());
        return services;
    }

    public static IEndpointRouteBuilder MapResourceMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics/resource", (UsageSampler sampler) => TypedResults.Text(ResourceMetricsText.Write(sampler.Snapshot), ResourceMetricsText.ContentType))
            .AddEndpointFilter<KubeletAuthFilter>();
        app.MapGet("/stats/summary", (UsageSampler sampler, IOptions<NodeAgentOptions> options) => TypedResults.Json(StatsSummary.Build(options.Value.NodeName, sampler.Snapshot)))
            .AddEndpointFilter<KubeletAuthFilter>();
        return app;
    }
}
