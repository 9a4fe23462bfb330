using Platform.Discovery.Api;
using Platform.Discovery.Leases;
using Platform.Discovery.Registry;
using Platform.Discovery.Replication;

namespace Platform.Discovery.Dashboard;

public static class DashboardExtensions
{
    /// <summary>Maps the HTML dashboard at <c>/</c> and its JSON twin at <c>/eureka/server/state</c>.</summary>
    public static IEndpointRouteBuilder MapDiscoveryDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Page).ExcludeFromDescription();
        endpoints.MapGet("/eureka/server/state", ServerStateHandler.Get);
        return endpoints;
    }

    private static IResult Page(InstanceRegistry registry, SelfPreservation sp, PeerStatus peers, TimeProvider time) =>
        TypedResults.Content(DashboardPage.Render(ServerStateHandler.Of(registry, sp, peers), registry.Snapshot(), time.GetUtcNow()),
            "text/html; charset=utf-8");
}
