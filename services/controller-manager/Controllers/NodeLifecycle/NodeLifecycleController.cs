using Platform.ControllerManager.Informers;
using Platform.ApiServer.Client;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;

namespace Platform.ControllerManager.Controllers.NodeLifecycle;

/// <summary>
/// Watches node heartbeats in the cache: a node whose heartbeat is older than <c>NodeMonitorGracePeriod</c>
/// becomes Ready=Unknown with the <c>node.kubernetes.io/unreachable</c> taints (NoSchedule and NoExecute); its pods are deleted once
/// their toleration of that taint runs out (<c>PodEvictionTimeout</c> when they declare none), so their controllers
/// replace them elsewhere. A node that heartbeats again loses the taint. The heartbeat is the newer of its Lease's
/// <c>renewTime</c> (<c>kube-node-lease/{node}</c>, renewed every 10 s) and its Ready condition's
/// <c>lastHeartbeatTime</c> (written on status changes and every 5 min), so an agent without a lease still counts.
/// </summary>
internal sealed partial class NodeLifecycleController(
    ClusterInformers informers, ApiClient api, EventRecorder events, IOptions<ControllerManagerOptions> options, TimeProvider time,
    ILogger<NodeLifecycleController> log) : BackgroundService
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    private readonly ControllerManagerOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await informers.WaitForSyncAsync(stoppingToken);
        using var timer = new PeriodicTimer(_o.NodeMonitorPeriod, time);
        do
        {
            foreach (var node in informers.Nodes.List())
            {
                try
                {
                    await MonitorAsync(node, stoppingToken);
                }
                catch (ApiException ex) when (ex.IsVersionConflict)
                {
                    // The node changed since the cache's view (its agent just posted status): judged again next period.
                    MonitorConflicted(node.Metadata.Name!, ex.Message);
                }
                catch (HttpRequestException ex)
                {
                    MonitorFailed(node.Metadata.Name!, ex.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task MonitorAsync(Node node, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var name = node.Metadata.Name!;
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var taint = node.Spec.Taints?.FirstOrDefault(t => t.Key == UnreachableTaint && t.Effect == "NoExecute");
        var heartbeat = Latest(LeaseRenewTime(name), ready?.LastHeartbeatTime) ?? node.Metadata.CreationTimestamp ?? now;
        var silent = now - heartbeat > _o.NodeMonitorGracePeriod;
        if (silent && ready?.Status != "Unknown")
        {
            var unknown = new Condition
            {
                Type = "Ready", Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Node agent stopped posting node status.",
                LastHeartbeatTime = ready?.LastHeartbeatTime, LastTransitionTime = now,
            };
            var conditions = (node.Status?.Conditions ?? []).Where(c => c.Type != "Ready").Append(unknown).ToList();
            // On the node's resourceVersion: a heartbeat the cache has not seen yet wins over this verdict.
            await api.PatchStatusAsync(ResourceKinds.Node, node,
                new JsonObject { ["conditions"] = JsonSerializer.SerializeToNode(conditions, ResourceJson.Options) }, ct);
            events.Record(node, "Normal", "NodeNotReady", $"Node {name} status is now: NodeNotReady");
            NodeNotReady(name, heartbeat);
        }
        // Both effects, as Kubernetes taints an unreachable node: NoSchedule keeps new pods off it (a pod tolerating
        // the NoExecute taint for a while would otherwise be scheduled straight back), NoExecute evicts.
        var noSchedule = node.Spec.Taints?.FirstOrDefault(t => t.Key == UnreachableTaint && t.Effect == "NoSchedule");
        if (silent && (taint is null || noSchedule is null))
        {
            var added = new List<Taint>();
            if (noSchedule is null) added.Add(new Taint { Key = UnreachableTaint, Effect = "NoSchedule", TimeAdded = now });
            if (taint is null) added.Add(taint = new Taint { Key = UnreachableTaint, Effect = "NoExecute", TimeAdded = now });
            await SetTaintsAsync(name, [.. node.Spec.Taints ?? [], .. added], ct);
        }
        else if (!silent && ready?.Status == "True" && (taint is not null || noSchedule is not null))
        {
            await SetTaintsAsync(name, node.Spec.Taints!.Where(t => t != taint && t != noSchedule).ToList(), ct);
            events.Record(node, "Normal", "NodeReady", $"Node {name} status is now: NodeReady");
            return;
        }
        if (taint is not null && silent) await EvictAsync(name, taint, now, ct);
    }

    private DateTimeOffset? LeaseRenewTime(string node) =>
        informers.Leases.Get($"{SystemNamespaces.NodeLease}/{node}") is { Spec.HolderIdentity: var holder, Spec.RenewTime: { } renewed } && holder == node ? renewed : null;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private Task SetTaintsAsync(string node, List<Taint> taints, CancellationToken ct) =>
        api.MergePatchAsync(ResourceKinds.Node.ObjectPath(null, node),
            new JsonObject { ["spec"] = new JsonObject { ["taints"] = JsonSerializer.SerializeToNode(taints, ResourceJson.Options) } }, ct);

    private async Task EvictAsync(string node, Taint taint, DateTimeOffset now, CancellationToken ct)
    {
        var since = taint.TimeAdded ?? now;
        foreach (var pod in informers.Pods.ByIndex(Indexers.NodeName, node).Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var toleration = pod.Spec.Tolerations?.FirstOrDefault(t => t.Tolerates(taint));
            if (toleration is { TolerationSeconds: null }) continue; // tolerates forever
            var allowed = toleration?.TolerationSeconds is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : _o.PodEvictionTimeout;
            if (now - since < allowed) continue;
            if (await api.DeleteAsync(ResourceKinds.Pod.ObjectPath(pod.Metadata.Namespace, pod.Metadata.Name!), "Background", ct))
            {
                events.Record(pod, "Normal", "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata.Namespace}/{pod.Metadata.Name}");
                Evicted(pod.Metadata.Namespace!, pod.Metadata.Name!, node);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "node {Node} is NotReady: last heartbeat {Heartbeat}")]
    private partial void NodeNotReady(string node, DateTimeOffset heartbeat);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "evicted pod {Namespace}/{Pod} from unreachable node {Node}")]
    private partial void Evicted(string @namespace, string pod, string node);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "monitoring node {Node} failed: {Error}")]
    private partial void MonitorFailed(string node, string error);

    [LoggerMessage(EventId = 43, Level = LogLevel.Debug, Message = "node {Node} changed since the cache's view, judged again next period: {Error}")]
    private partial void MonitorConflicted(string node, string error);
}
