using Platform.ApiServer.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Registration;

/// <summary>
/// Registers this agent's Node (capacity, labels, taints, port range, address), then heartbeats every
/// <c>NodeAgent:HeartbeatInterval</c> by renewing its Lease (<see cref="NodeLeaseRenewer"/>). The Node's status is
/// written only when it differs from what the agent would report (say the node lifecycle controller marked it
/// Unknown) or every <c>NodeAgent:StatusReportInterval</c>, as kubelet does since node leases: a cheap lease renewal
/// instead of a full Node update every 10 s.
/// </summary>
internal sealed partial class NodeRegistrar(
    ApiClient api, NodeLeaseRenewer lease, IOptions<NodeAgentOptions> options, KubeletEndpoint kubelet, NodeSystemInfoReader systemInfo, TimeProvider time, ILogger<NodeRegistrar> log) : BackgroundService
{
    private readonly NodeAgentOptions _o = options.Value;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _lastReport = DateTimeOffset.MinValue;
    private int? _kubeletPort;

    private string NodePath => ResourceKinds.Node.ObjectPath(null, _o.NodeName);

    /// <summary>Completes once the Node exists in the apiserver.</summary>
    public Task Registered => _registered.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        Node? node = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                node = await RegisterAsync(stoppingToken);
                break;
            }
            catch (HttpRequestException ex)
            {
                RegistrationFailed(_o.NodeName, ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        stoppingToken.ThrowIfCancellationRequested();
        _registered.TrySetResult();
        NodeRegistered(_o.NodeName);
        await RenewLeaseAsync(node!, stoppingToken);

        using var timer = new PeriodicTimer(_o.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Deleted by an operator: come back, as kubelet does (the lease went with the Node).
                node = await api.GetAsync<Node>(NodePath, stoppingToken) is { } current ? await ReportStatusAsync(current, stoppingToken) : await RegisterAsync(stoppingToken);
            }
            catch (HttpRequestException ex)
            {
                StatusReportFailed(_o.NodeName, ex.Message);
            }
            await RenewLeaseAsync(node!, stoppingToken);
        }
    }

    private async Task RenewLeaseAsync(Node node, CancellationToken ct)
    {
        try
        {
            await lease.RenewAsync(node, ct);
        }
        catch (HttpRequestException ex)
        {
            HeartbeatFailed(_o.NodeName, ex.Message);
        }
    }

    private async Task<Node> RegisterAsync(CancellationToken ct)
    {
        _kubeletPort ??= await kubelet.PortAsync(ct);
        var node = new Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new ObjectMeta { Name = _o.NodeName, Labels = Labels() },
            Spec = new NodeSpec { Taints = _o.Taints.Select(t => TryParseTaint(t, out var taint) ? taint! : throw new InvalidOperationException(t)).ToList() },
        };
        if (!await api.CreateAsync(ResourceKinds.Node.CollectionPath(null), node, ct))
        {
            // Already registered (an agent restart): configuration wins for labels and taints this agent owns.
            var spec = JsonSerializer.SerializeToNode(node.Spec, ResourceJson.Options)!;
            var labels = JsonSerializer.SerializeToNode(node.Metadata.Labels, ResourceJson.Options)!;
            await api.MergePatchAsync(NodePath, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels }, ["spec"] = spec }, ct);
        }
        var registered = await api.GetAsync<Node>(NodePath, ct) ?? throw new HttpRequestException($"node {_o.NodeName} vanished while registering");
        return await ReportStatusAsync(registered, ct, force: true);
    }

    /// <summary>Writes the status when it changed or is due; returns the Node as it now stands.</summary>
    private async Task<Node> ReportStatusAsync(Node node, CancellationToken ct, bool force = false)
    {
        var now = time.GetUtcNow();
        var desired = Status(node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready"), now) with { NodeInfo = await systemInfo.ReadAsync(ct) };
        if (!force && now - _lastReport < _o.StatusReportInterval && SameStatus(node.Status, desired)) return node;
        await api.MergePatchAsync(NodePath + "/status", new JsonObject { ["status"] = JsonSerializer.SerializeToNode(desired, ResourceJson.Options) }, ct);
        _lastReport = now;
        StatusReported(_o.NodeName);
        return node with { Status = desired };
    }

    /// <summary>Ready and every field this agent reports unchanged (fields others write, such as conditions they own, are ignored).</summary>
    private static bool SameStatus(NodeStatus? current, NodeStatus desired)
    {
        if (current?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True") return false;
        var have = (JsonObject)JsonSerializer.SerializeToNode(current, ResourceJson.Options)!;
        var want = (JsonObject)JsonSerializer.SerializeToNode(desired with { Conditions = null }, ResourceJson.Options)!;
        return want.All(kv => JsonNode.DeepEquals(kv.Value, have[kv.Key]));
    }

    private Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(_o.Labels) { ["kubernetes.io/hostname"] = _o.NodeName, ["kubernetes.io/os"] = "linux" };
        return labels;
    }

    private NodeStatus Status(Condition? ready, DateTimeOffset now)
    {
        var capacity = new ResourceList
        {
            ["cpu"] = _o.Cpu ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory"] = _o.Memory ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(CultureInfo.InvariantCulture),
            ["pods"] = _o.MaxPods.ToString(CultureInfo.InvariantCulture),
        };
        return new NodeStatus
        {
            Capacity = capacity,
            Allocatable = capacity,
            PortRange = _o.PortRange,
            DaemonEndpoints = _kubeletPort is { } port ? new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = port } } : null,
            Addresses = [new NodeAddress { Type = "InternalIP", Address = _o.Address }, new NodeAddress { Type = "Hostname", Address = _o.NodeName }],
            Conditions =
            [
                new Condition
                {
                    Type = "Ready", Status = "True", Reason = "NodeAgentReady", Message = "node agent is posting ready status", LastHeartbeatTime = now,
                    LastTransitionTime = ready?.Status == "True" ? ready.LastTransitionTime ?? now : now,
                },
            ],
        };
    }

    public static bool TryParseTaint(string text, out Taint? taint)
    {
        taint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        var effect = text[(colon + 1)..];
        if (effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute")) return false;
        var kv = text[..colon].Split('=', 2);
        if (kv[0].Length == 0) return false;
        taint = new Taint { Key = kv[0], Value = kv.Length > 1 ? kv[1] : null, Effect = effect };
        return true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "node {Node} registered")]
    private partial void NodeRegistered(string node);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "registering node {Node} failed: {Error}; retrying in {Delay}")]
    private partial void RegistrationFailed(string node, string error, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "heartbeat (lease renewal) of node {Node} failed: {Error}")]
    private partial void HeartbeatFailed(string node, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "reporting the status of node {Node} failed: {Error}")]
    private partial void StatusReportFailed(string node, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "status of node {Node} reported")]
    private partial void StatusReported(string node);
}
