using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Network;

/// <summary>
/// flannel's host-gw backend, done by the agent from the client kit's Node informer: every other Node's podCIDR is
/// routed via that Node's InternalIP when the address is on a network this node is attached to, so pods on different
/// nodes reach each other by IP with no tunnel and no NAT. The routes carry protocol <see cref="Protocol"/>: the agent
/// finds its own (and only its own) to remove when a Node goes or changes. A Node whose address is not on an attached
/// network (another machine behind a router, or a node sharing this namespace at 127.0.1.N) gets no route; nor does a
/// podCIDR already attached here (nodes sharing one namespace: their bridges are connected routes).
/// </summary>
internal sealed partial class NodeRoutes : BackgroundService
{
    /// <summary>The routing protocol number the agent's routes carry (<c>ip route show proto 77</c>).</summary>
    public const string Protocol = "77";

    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private readonly Informer<Node> _nodes;
    private readonly CommandRunner _run;
    private readonly string _self;
    private readonly ILogger<NodeRoutes> _log;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private string? _lastError;

    public NodeRoutes(SharedInformerFactory informers, CommandRunner run, IOptions<NodeAgentOptions> options, ILogger<NodeRoutes> log)
    {
        _nodes = informers.For<Node>(ResourceKinds.Node);
        _run = run;
        _self = options.Value.NodeName;
        _log = log;
        // Only what the routes depend on: a Node's status is written every few seconds, and each pass runs ip twice.
        _nodes.OnChange((old, now) =>
        {
            if (old is null || now is null || old.Spec?.PodCIDR != now.Spec?.PodCIDR || InternalIps(old) != InternalIps(now))
                _dirty.Writer.TryWrite(true);
        });
    }

    private static string InternalIps(Node node) =>
        string.Join(',', node.Status?.Addresses?.Where(a => a.Type == "InternalIP").Select(a => a.Address) ?? []);

    /// <summary>
    /// The routes this node wants: podCIDR → next hop, for every other Node with an IPv4 podCIDR that is not attached
    /// here and an InternalIP on one of <paramref name="attached"/> (the networks of this node's link-scope routes).
    /// </summary>
    public static Dictionary<string, string> Desired(IEnumerable<Node> nodes, string self, IReadOnlyList<IPNetwork> attached)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            if (node.Metadata.Name == self || node.Spec?.PodCIDR is not { } text || !IPNetwork.TryParse(text, out var cidr)
                || cidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork || attached.Any(a => Overlaps(a, cidr)))
                continue;
            var hop = node.Status?.Addresses?.Where(a => a.Type == "InternalIP")
                .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
                .FirstOrDefault(ip => ip is { AddressFamily: AddressFamily.InterNetwork } && !IPAddress.IsLoopback(ip) && attached.Any(a => a.Contains(ip)));
            if (hop is not null) routes.TryAdd(cidr.ToString(), hop.ToString());
        }
        return routes;
    }

    /// <summary>Destination → first word after <c>via</c> (or <c>dev</c>) of each line of <c>ip -o -4 route show</c>.</summary>
    public static Dictionary<string, string> ParseRoutes(string output, string key)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(words, key);
            if (words.Length > 0 && at >= 0 && at + 1 < words.Length) routes.TryAdd(words[0], words[at + 1]);
        }
        return routes;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _nodes.WaitForSyncAsync(stoppingToken);
            while (true)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                    _lastError = null;
                }
                catch (PodNetworkException ex)
                {
                    // Never fatal: the next Node change or the resync tries again; the same failure is logged once.
                    if (ex.Message != _lastError) ReconcileFailed(_log, ex.Message);
                    _lastError = ex.Message;
                }
                using var resync = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                resync.CancelAfter(Resync);
                try
                {
                    await _dirty.Reader.ReadAsync(resync.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var links = ParseRoutes(await _run.RunAsync("ip", ["-o", "-4", "route", "show", "scope", "link"], ct: ct), "dev");
        var attached = links.Keys.Select(k => IPNetwork.TryParse(k, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().ToList();
        var desired = Desired(_nodes.List(), _self, attached);
        var current = ParseRoutes(await _run.RunAsync("ip", ["-o", "-4", "route", "show", "proto", Protocol], ct: ct), "via");
        foreach (var (cidr, _) in current.Where(c => desired.GetValueOrDefault(c.Key) != c.Value))
        {
            await _run.RunAsync("ip", ["route", "del", cidr, "proto", Protocol], ct: ct);
            RouteRemoved(_log, cidr);
        }
        foreach (var (cidr, via) in desired.Where(d => current.GetValueOrDefault(d.Key) != d.Value))
        {
            await _run.RunAsync("ip", ["route", "replace", cidr, "via", via, "proto", Protocol], ct: ct);
            RouteAdded(_log, cidr, via);
        }
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "node routes: pod CIDR {Cidr} via {Via}")]
    private static partial void RouteAdded(ILogger logger, string cidr, string via);

    [LoggerMessage(EventId = 351, Level = LogLevel.Information, Message = "node routes: pod CIDR {Cidr} removed")]
    private static partial void RouteRemoved(ILogger logger, string cidr);

    [LoggerMessage(EventId = 352, Level = LogLevel.Warning, Message = "node routes: {Error} (tried again on the next Node change, or in 30 s)")]
    private static partial void ReconcileFailed(ILogger logger, string error);
}
