using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Registry;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;

namespace Platform.Gateway.RateLimiting.Fleet;

/// <summary>
/// The live gateway replicas, as one sorted list every replica computes alike: the UP instances of
/// <c>Gateway:RateLimiter:Fleet:App</c> in the registry copy the gateway keeps for <c>lb://</c>, else the configured
/// <c>Peers</c>. Recomputed when the registry copy changes (a replica registering, going down or expiring), which is
/// what rebalances ownership. This replica is added when missing, so it always finds itself.
/// </summary>
internal sealed class FleetMembership(IOptions<GatewayOptions> options, IDiscoveryClient registry, IServer server)
{
    private readonly FleetOptions _fleet = options.Value.RateLimiter.Fleet;
    private Cached? _cached;
    private string? _self;

    public FleetView Current
    {
        get
        {
            var apps = _fleet.App is { Length: > 0 } ? registry.Applications : null;
            if (_cached is { } cached && ReferenceEquals(cached.Source, apps)) return cached.View;
            var view = Compute(apps);
            _cached = new Cached(apps, view);
            return view;
        }
    }

    private FleetView Compute(EurekaApplications? apps)
    {
        var members = new SortedSet<string>(StringComparer.Ordinal);
        if (apps is not null && apps.Apps.GetValueOrDefault(_fleet.App!.ToUpperInvariant()) is { } instances)
        {
            foreach (var i in instances)
            {
                if (string.Equals(i.Status, "UP", StringComparison.OrdinalIgnoreCase)) members.Add(Normalize(InstanceAddress.Of(i)));
            }
        }
        if (members.Count == 0) members.UnionWith(_fleet.Peers.Where(p => p.Length > 0).Select(Normalize));
        var self = SelfIn(members);
        members.Add(self);
        return new FleetView([.. members], self);
    }

    private string SelfIn(IEnumerable<string> members)
    {
        if (_fleet.Self is { Length: > 0 } configured) return Normalize(configured);
        if (_self is not null && members.Contains(_self)) return _self;
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal)
            .Replace("://*", "://0.0.0.0", StringComparison.Ordinal))).ToList() ?? [];
        foreach (var m in members)
        {
            var uri = new Uri(m);
            if (listening.Any(l => l.Port == uri.Port && (l.Host == uri.Host || l.Host is "0.0.0.0" or "[::]" or "::"))) return _self = m;
        }
        return _self = listening.Count > 0 ? Normalize(listening[0].ToString()) : "self";
    }

    private sealed record Cached(EurekaApplications? Source, FleetView View);

    internal static string Normalize(string url) => new Uri(url).GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}

/// <summary>One membership: the sorted member URLs and which of them is this replica.</summary>
internal sealed record FleetView(IReadOnlyList<string> Members, string Self)
{
    public string OwnerOf(string key) => Members.Count == 1 ? Members[0] : RendezvousHash.Owner(Members, key);
}
