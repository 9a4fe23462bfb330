using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Proxy;

/// <summary>
/// kube-proxy's role: from the client kit's Service and EndpointSlice informers, every TCP Service port is served on
/// its ClusterIP (a /32 on the node's <c>plsvc-</c> dummy interface, so a local address) and, for NodePort and
/// LoadBalancer Services, on the node port of every local address; a LoadBalancer Service whose
/// <c>status.loadBalancer.ingress</c> lists this node's address (<c>NodeAgent:Address</c>) is also served on that address
/// at its ports. <c>NodeAgent:Proxy:Mode</c> chooses how: <c>userspace</c> listens on each of them and relays every
/// connection to a ready endpoint (<see cref="ProxyListener"/>); <c>nftables</c> DNATs them in the kernel
/// (<see cref="NftablesRuleset"/>).
/// </summary>
internal sealed partial class ServiceProxy : BackgroundService
{
    private readonly Informer<Service> _services;
    private readonly Informer<EndpointSlice> _slices;
    private readonly ServiceAddresses _addresses;
    private readonly ProxyOptions _o;
    private readonly TimeProvider _time;
    private readonly IPAddress? _nodeAddress;
    private readonly ILogger<ServiceProxy> _log;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, ServiceBackends> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<IPEndPoint, ProxyListener> _listeners = [];
    private readonly HashSet<IPEndPoint> _bindFailed = [];
    private readonly NftablesProxy? _nft;
    private IReadOnlyList<IPEndPoint> _programmed = [];

    public ServiceProxy(SharedInformerFactory informers, CommandRunner run, IOptions<NodeAgentOptions> options, TimeProvider time, ILogger<ServiceProxy> log)
    {
        _services = informers.For<Service>(ResourceKinds.Service);
        _slices = informers.For<EndpointSlice>(ResourceKinds.EndpointSlice);
        _slices.EnsureIndexer(Indexers.ServiceName, Indexers.ByServiceName);
        _addresses = new ServiceAddresses(run, NetworkNames.ServiceDummy(options.Value.NodeName));
        _o = options.Value.Proxy;
        _nft = _o.Mode == ProxyOptions.Nftables ? new NftablesProxy(run, NetworkNames.ServiceTable(options.Value.NodeName)) : null;
        _nodeAddress = IPAddress.TryParse(options.Value.Address, out var node) && node.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? node : null;
        _time = time;
        _log = log;
        _services.OnChange((_, _) => _dirty.Writer.TryWrite(true));
        _slices.OnChange((_, _) => _dirty.Writer.TryWrite(true));
    }

    /// <summary>Where the proxy serves now: its listeners, or in nftables mode the frontends its rules DNAT (tests).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints
    {
        get { lock (_listeners) return _nft is null ? [.. _listeners.Keys] : _programmed; }
    }

    /// <summary>The backends of <c>namespace/name:port</c>, if proxied (tests).</summary>
    public ServiceBackends? Find(string ns, string service, string? port)
    {
        lock (_listeners) return _ports.GetValueOrDefault(PortKey(ns, service, port));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await _addresses.ResetAsync(stoppingToken);
                    if (_nft is not null) await _nft.ResetAsync(stoppingToken);
                    break;
                }
                catch (PodNetworkException ex)
                {
                    // Never fatal to the agent: its pods keep running while the proxy waits for the interface.
                    ReconcileFailed(ex);
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
            }
            await Task.WhenAll(_services.WaitForSyncAsync(stoppingToken), _slices.WaitForSyncAsync(stoppingToken));
            Started(_o.Mode, _addresses.Link);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    ReconcileFailed(ex);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(_bindFailed.Count > 0 ? TimeSpan.FromSeconds(2) : _o.ResyncInterval);
                try
                {
                    await _dirty.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ShutdownAsync();
        }
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var wanted = new Dictionary<IPEndPoint, string>();
        var ports = new Dictionary<string, (List<IPEndPoint> Backends, TimeSpan? Affinity)>(StringComparer.Ordinal);
        foreach (var svc in _services.List())
        {
            var spec = svc.Spec;
            if (spec.Type == "ExternalName" || spec.Ports is not { Count: > 0 }) continue;
            var clusterIp = spec.ClusterIP is { } ip && ip != "None" && IPAddress.TryParse(ip, out var parsed) && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? parsed : null;
            var nodePorts = spec.Type is "NodePort" or "LoadBalancer";
            // The load balancer ingress the controller-manager gives the Service (every Ready node's address): this node's share.
            var balanced = spec.Type == "LoadBalancer" && _nodeAddress is not null
                && svc.Status?.LoadBalancer?.Ingress?.Any(i => i.Ip == _nodeAddress.ToString()) == true;
            TimeSpan? affinity = spec.SessionAffinity == "ClientIP" ? TimeSpan.FromSeconds(spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800) : null;
            var slices = _slices.ByIndex(Indexers.ServiceName, ObjectKeys.KeyOf(svc.Metadata.Namespace, svc.Metadata.Name!));
            foreach (var port in spec.Ports.Where(p => (p.Protocol ?? "TCP") == "TCP"))
            {
                var key = PortKey(svc.Metadata.Namespace!, svc.Metadata.Name!, port.Name);
                ports[key] = (BackendsOf(slices, port.Name), affinity);
                if (clusterIp is not null) wanted[new IPEndPoint(clusterIp, port.Port)] = key;
                if (nodePorts && port.NodePort is int nodePort and > 0) wanted[new IPEndPoint(IPAddress.Any, nodePort)] = key;
                if (balanced) wanted.TryAdd(new IPEndPoint(_nodeAddress!, port.Port), key);
            }
        }

        var unassigned = await _addresses.AddAsync(ClusterIps(wanted.Keys), ct);
        if (_nft is not null)
        {
            await ProgramAsync(wanted, ports, unassigned, ct);
            return;
        }
        List<ProxyListener> stop = [];
        lock (_listeners)
        {
            foreach (var (key, (backends, affinity)) in ports)
            {
                if (!_ports.TryGetValue(key, out var target)) _ports[key] = target = new ServiceBackends(key, _time);
                target.Update(backends, affinity);
            }
            foreach (var (at, listener) in _listeners.Where(l => !wanted.ContainsKey(l.Key)).ToList())
            {
                _listeners.Remove(at);
                stop.Add(listener);
            }
            foreach (var key in _ports.Keys.Where(k => !ports.ContainsKey(k)).ToList())
            {
                _ports[key].CloseAll();
                _ports.Remove(key);
            }
            var failedBefore = _bindFailed.ToHashSet();
            _bindFailed.Clear();
            foreach (var (at, key) in wanted)
            {
                var target = _ports[key];
                if (_listeners.TryGetValue(at, out var running))
                {
                    running.Target = target;
                    continue;
                }
                if (unassigned.TryGetValue(at.Address.ToString(), out var why))
                {
                    if (!failedBefore.Contains(at)) AddressFailed(at.Address.ToString(), _addresses.Link, why);
                    _bindFailed.Add(at);
                    continue;
                }
                try
                {
                    _listeners[at] = ProxyListener.Start(at, target, _o, _log);
                    Listening(at, key);
                }
                catch (System.Net.Sockets.SocketException ex)
                {
                    _bindFailed.Add(at);
                    if (!failedBefore.Contains(at)) BindFailed(at, key, ex.SocketErrorCode);
                }
            }
        }
        foreach (var listener in stop)
        {
            StoppedListening(listener.Endpoint);
            await listener.DisposeAsync();
        }
        await _addresses.RemoveOthersAsync(ClusterIps(wanted.Keys).ToHashSet(StringComparer.Ordinal), ct);
    }

    /// <summary>The ready, non-terminating endpoints of the slices' port named like the Service port.</summary>
    private static List<IPEndPoint> BackendsOf(IReadOnlyList<EndpointSlice> slices, string? portName)
    {
        var result = new List<IPEndPoint>();
        foreach (var slice in slices)
        {
            if (slice.AddressType is { } type && type != "IPv4") continue;
            var port = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (portName ?? "") && (p.Protocol ?? "TCP") == "TCP")?.Port;
            if (port is not > 0) continue;
            foreach (var e in slice.Endpoints ?? [])
            {
                if (e.Conditions?.Ready == false || e.Conditions?.Terminating == true) continue;
                if (e.Addresses is [var address, ..] && IPAddress.TryParse(address, out var ip)) result.Add(new IPEndPoint(ip, port.Value));
            }
        }
        return [.. result.Distinct().OrderBy(e => e.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>The addresses the dummy interface holds: every listener's but the wildcard's and the node's own.</summary>
    private IEnumerable<string> ClusterIps(IEnumerable<IPEndPoint> listeners) =>
        listeners.Select(e => e.Address).Where(a => !a.Equals(IPAddress.Any) && !a.Equals(_nodeAddress)).Select(a => a.ToString()).Distinct();

    private static string PortKey(string ns, string service, string? port) => $"{ns}/{service}:{port}";

    private async Task ShutdownAsync()
    {
        List<ProxyListener> all;
        lock (_listeners)
        {
            all = [.. _listeners.Values];
            _listeners.Clear();
            foreach (var p in _ports.Values) p.CloseAll();
            _ports.Clear();
        }
        foreach (var l in all) await l.DisposeAsync();
        try
        {
            if (_nft is not null) await _nft.DeleteAsync(CancellationToken.None);
            await _addresses.DeleteAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            ReconcileFailed(ex);
        }
    }

    [LoggerMessage(EventId = 750, Level = LogLevel.Information, Message = "service proxy ({Mode}) running, ClusterIPs on {Link}")]
    private partial void Started(string mode, string link);

    [LoggerMessage(EventId = 751, Level = LogLevel.Information, Message = "proxying {Endpoint} for {Service}")]
    private partial void Listening(IPEndPoint endpoint, string service);

    [LoggerMessage(EventId = 752, Level = LogLevel.Information, Message = "stopped proxying {Endpoint}")]
    private partial void StoppedListening(IPEndPoint endpoint);

    [LoggerMessage(EventId = 753, Level = LogLevel.Warning, Message = "cannot listen on {Endpoint} for {Service}: {Error}; retrying")]
    private partial void BindFailed(IPEndPoint endpoint, string service, System.Net.Sockets.SocketError error);

    [LoggerMessage(EventId = 755, Level = LogLevel.Warning, Message = "cannot add ClusterIP {Address} to {Link}: {Error}; retrying")]
    private partial void AddressFailed(string address, string link, string error);

    [LoggerMessage(EventId = 754, Level = LogLevel.Warning, Message = "service proxy reconcile failed; retrying")]
    private partial void ReconcileFailed(Exception ex);
}
