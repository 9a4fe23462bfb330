using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Platform.Gateway.Routing;

/// <summary>
/// Hands YARP the routes and clusters of the current snapshot; an update swaps the config object and cancels the
/// old one's change token, as YARP's <c>InMemoryConfigProvider</c> does.
/// </summary>
public sealed class GatewayConfigProvider : IProxyConfigProvider
{
    private volatile ProxyConfig _config = new([], []);

    public IProxyConfig GetConfig() => _config;

    public void Update(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
    {
        var old = _config;
        _config = new ProxyConfig(routes, clusters);
        old.SignalChange();
    }

    private sealed class ProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly CancellationTokenSource _cts = new();

        public string RevisionId { get; } = Guid.NewGuid().ToString("N");
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;
        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;
        public IChangeToken ChangeToken => new CancellationChangeToken(_cts.Token);

        public void SignalChange() => _cts.Cancel();
    }
}
