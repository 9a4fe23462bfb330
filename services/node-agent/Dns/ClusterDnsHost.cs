using System.Net;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.ClusterDns;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Dns;

/// <summary>
/// Cluster DNS on this node (CoreDNS' role, node-local like NodeLocal DNSCache): a <see cref="ClusterDnsServer"/> on the
/// node bridge's address, port 53 (from the moment the first pod's sandbox wires the bridge), answering from the Service and EndpointSlice informers, plus any
/// <c>NodeAgent:Dns:Listen</c> endpoints. Pods on the pod network get it as their nameserver (<see cref="Pods.PodDns"/>).
/// </summary>
internal sealed partial class ClusterDnsHost(
    SharedInformerFactory informers, PodNetwork network, IOptions<NodeAgentOptions> options, ILoggerFactory loggers, ILogger<ClusterDnsHost> log)
    : BackgroundService
{
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource<string?> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Informer<Service> _services = informers.For<Service>(ResourceKinds.Service);
    private readonly Informer<EndpointSlice> _slices = informers.For<EndpointSlice>(ResourceKinds.EndpointSlice);
    private ClusterDnsServer? _server;

    public ClusterDnsOptions Options => options.Value.Dns;

    /// <summary>
    /// The nameserver pods of this node use, once DNS answers; null when cluster DNS is off here. Waits at most
    /// <paramref name="wait"/>: a pod is not held back for long by a DNS that cannot start (it gets the node's resolver).
    /// </summary>
    public async Task<string?> NameserverAsync(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            return await _address.Task.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = Options;
        if (!o.Enabled || !network.Enabled && o.Listen.Count == 0)
        {
            _address.TrySetResult(null);
            return;
        }
        await Task.WhenAll(_services.WaitForSyncAsync(stoppingToken), _slices.WaitForSyncAsync(stoppingToken));
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var bridge = network.Enabled ? await network.BridgeUp.WaitAsync(stoppingToken) : null;
                var listen = o.Listen.Select(l => ClusterDnsServer.ParseEndpoint(l, 53)
                        ?? throw new InvalidOperationException($"NodeAgent:Dns:Listen: '{l}' is not address[:port]")).ToList();
                if (bridge is not null) listen.Insert(0, new IPEndPoint(IPAddress.Parse(bridge), 53));
                var resolver = new ClusterDnsResolver(new InformerDnsRecordSource(_services, _slices), o);
                _server = new ClusterDnsServer(resolver, o, listen, loggers.CreateLogger<ClusterDnsServer>());
                _server.Start();
                _address.TrySetResult(bridge ?? listen[0].Address.ToString());
                return;
            }
            catch (Exception ex) when (ex is PodNetworkException or System.Net.Sockets.SocketException or HttpRequestException)
            {
                if (_server is not null) await _server.DisposeAsync();
                _server = null;
                NotYet(ex.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryMax.Ticks));
            }
        }
    }

    public override void Dispose()
    {
        _server?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 760, Level = LogLevel.Warning, Message = "cluster DNS not started yet ({Reason}); trying again in {Delay}")]
    private partial void NotYet(string reason, TimeSpan delay);
}
