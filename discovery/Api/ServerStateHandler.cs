using Platform.Discovery.Leases;
using Platform.Discovery.Registry;
using Platform.Discovery.Replication;

namespace Platform.Discovery.Api;

/// <summary><c>GET /eureka/server/state</c>: lease and self-preservation state as JSON, what the dashboard shows.</summary>
internal static class ServerStateHandler
{
    public static IResult Get(InstanceRegistry registry, SelfPreservation selfPreservation, PeerStatus peers) =>
        TypedResults.Ok(Of(registry, selfPreservation, peers));

    public static ServerState Of(InstanceRegistry registry, SelfPreservation sp, PeerStatus peers) => new(
        registry.Count,
        sp.Enabled,
        sp.IsActive,
        sp.ExpectedClients,
        sp.RenewsPerMinThreshold,
        sp.RenewsLastMinute,
        peers.Peers.Select(p => new PeerStateDto(PeerUrls.Display(p.Url), p.Reachable, p.LastSuccess, p.LastError)).ToList());
}
