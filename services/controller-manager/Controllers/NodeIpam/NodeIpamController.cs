using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Controllers.NodeIpam;

/// <summary>
/// Gives every Node a <c>spec.podCIDR</c> / <c>spec.podCIDRs</c> cut from <c>ControllerManager:ClusterCidr</c>
/// (kube-controller-manager's node IPAM with the range allocator): at start the map is rebuilt from the CIDRs the
/// Nodes already hold, so a restart never hands one out twice; a deleted Node's CIDR goes back to the pool; a full
/// range leaves the node without one and says so with a <c>CIDRNotAvailable</c> Warning event on it.
/// </summary>
internal sealed partial class NodeIpamController : Controller
{
    private readonly CidrSet _cidrs;
    private readonly EventRecorder _events;
    private readonly ConcurrentDictionary<string, string> _byNode = new(StringComparer.Ordinal);
    private readonly ILogger _log;

    public NodeIpamController(ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time, ILogger<NodeIpamController> log)
        : base(informers, api, options, time, log)
    {
        _cidrs = new CidrSet(IPNetwork.Parse(options.Value.ClusterCidr), options.Value.NodeCidrMaskSize);
        _events = events;
        _log = log;
        informers.Nodes.OnChange((old, now) => Queue.Add((now ?? old)!.Metadata.Name!));
    }

    protected override string Name => "nodeipam";

    protected override IEnumerable<string> AllKeys() => Informers.Nodes.List().Select(n => n.Metadata.Name!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Informers.WaitForSyncAsync(stoppingToken);
        // Occupy every CIDR in use before the first allocation, so a new node never gets one a node already holds.
        foreach (var node in Informers.Nodes.List()) Occupy(node);
        await base.ExecuteAsync(stoppingToken);
    }

    protected override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var node = Informers.Nodes.Get(key);
        if (node is null || node.Metadata.DeletionTimestamp is not null)
        {
            if (_byNode.TryRemove(key, out var released) && _cidrs.Release(released))
            {
                CidrReleased(key, released);
                // A node left waiting on a full range gets the freed CIDR now rather than at the next resync.
                foreach (var waiting in Informers.Nodes.List().Where(n => string.IsNullOrEmpty(n.Spec.PodCIDR) && n.Spec.PodCIDRs is not { Count: > 0 }))
                    Queue.Add(waiting.Metadata.Name!);
            }
            return;
        }
        if (Occupy(node)) return;
        var cidr = _cidrs.AllocateNext();
        if (cidr is null)
        {
            _events.Record(node, "Warning", "CIDRNotAvailable", $"Node {key} status is now: CIDRNotAvailable");
            NoCidr(key, _cidrs.Cluster.ToString());
            return;
        }
        try
        {
            var patch = new JsonObject { ["spec"] = new JsonObject { ["podCIDR"] = cidr, ["podCIDRs"] = new JsonArray(cidr) } };
            await Api.MergePatchAsync(ResourceKinds.Node.ObjectPath(null, key), patch, ct);
        }
        catch
        {
            // Not written (the node went, or a conflict): the CIDR is free again and the key is retried.
            _cidrs.Release(cidr);
            throw;
        }
        _byNode[key] = cidr;
        _events.Record(node, "Normal", "CIDRAssignmentSucceeded", $"Node {key} was assigned podCIDR {cidr}");
        CidrAssigned(key, cidr);
    }

    /// <summary>Records the CIDR <paramref name="node"/> holds; false when it holds none yet.</summary>
    private bool Occupy(Node node)
    {
        var cidr = node.Spec.PodCIDRs is { Count: > 0 } list ? list[0] : node.Spec.PodCIDR;
        if (string.IsNullOrEmpty(cidr)) return false;
        var name = node.Metadata.Name!;
        if (_byNode.TryGetValue(name, out var held) && held == cidr) return true;
        if (!_cidrs.Occupy(cidr)) OutsideRange(name, cidr, _cidrs.Cluster.ToString());
        _byNode[name] = cidr;
        return true;
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "node {Node} was assigned podCIDR {Cidr}")]
    private partial void CidrAssigned(string node, string cidr);

    [LoggerMessage(EventId = 91, Level = LogLevel.Information, Message = "podCIDR {Cidr} of deleted node {Node} released")]
    private partial void CidrReleased(string node, string cidr);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "no podCIDR left for node {Node}: cluster CIDR {Cluster} is full")]
    private partial void NoCidr(string node, string cluster);

    [LoggerMessage(EventId = 93, Level = LogLevel.Warning, Message = "node {Node} holds podCIDR {Cidr}, which is not a subnet of the cluster CIDR {Cluster}")]
    private partial void OutsideRange(string node, string cidr, string cluster);
}
