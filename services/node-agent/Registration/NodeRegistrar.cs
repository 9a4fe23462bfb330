using Platform.ApiServer.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Registration;

/// <summary>
/// Registers this agent's Node (capacity, labels, taints, port range, address) and renews its Ready condition's
/// <c>lastHeartbeatTime</c> every <c>NodeAgent:HeartbeatInterval</c>; the node lifecycle controller marks the node
/// NotReady when those renewals stop.
/// </summary>
internal sealed partial class NodeRegistrar(ApiClient api, IOptions<NodeAgentOptions> options, KubeletEndpoint kubelet, TimeProvider time, ILogger<NodeRegistrar> log) : BackgroundService
{
    private readonly NodeAgentOptions _o = options.Value;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? _kubeletPort;

    /// <summary>Completes once the Node exists in the apiserver.</summary>
    public Task Registered => _registered.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RegisterAsync(stoppingToken);
                break;
            }
            catch (HttpRequestException ex)
            {
                RegistrationFailed(_o.NodeName, ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        _registered.TrySetResult();
        NodeRegistered(_o.NodeName);

        using var timer = new PeriodicTimer(_o.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!await api.MergePatchAsync($"/api/v1/nodes/{_o.NodeName}/status", StatusPatch(), stoppingToken))
                    await RegisterAsync(stoppingToken); // deleted by an operator: come back, as kubelet does
            }
            catch (HttpRequestException ex)
            {
                HeartbeatFailed(_o.NodeName, ex.Message);
            }
        }
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        _kubeletPort ??= await kubelet.PortAsync(ct);
        var node = new Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new ObjectMeta { Name = _o.NodeName, Labels = Labels() },
            Spec = new NodeSpec { Taints = _o.Taints.Select(t => TryParseTaint(t, out var taint) ? taint! : throw new InvalidOperationException(t)).ToList() },
        };
        if (!await api.CreateAsync("/api/v1/nodes", node, ct))
        {
            // Already registered (an agent restart): configuration wins for labels and taints this agent owns.
            var spec = JsonSerializer.SerializeToNode(node.Spec, ResourceJson.Options)!;
            var labels = JsonSerializer.SerializeToNode(node.Metadata.Labels, ResourceJson.Options)!;
            await api.MergePatchAsync($"/api/v1/nodes/{_o.NodeName}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels }, ["spec"] = spec }, ct);
        }
        await api.MergePatchAsync($"/api/v1/nodes/{_o.NodeName}/status", StatusPatch(), ct);
    }

    private Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(_o.Labels) { ["kubernetes.io/hostname"] = _o.NodeName, ["kubernetes.io/os"] = "linux" };
        return labels;
    }

    private JsonObject StatusPatch()
    {
        var now = time.GetUtcNow();
        var capacity = new ResourceList
        {
            ["cpu"] = _o.Cpu ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory"] = _o.Memory ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(CultureInfo.InvariantCulture),
            ["pods"] = _o.MaxPods.ToString(CultureInfo.InvariantCulture),
        };
        var status = new NodeStatus
        {
            Capacity = capacity,
            Allocatable = capacity,
            PortRange = _o.PortRange,
            DaemonEndpoints = _kubeletPort is { } port ? new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = port } } : null,
            Addresses = [new NodeAddress { Type = "InternalIP", Address = _o.Address }, new NodeAddress { Type = "Hostname", Address = _o.NodeName }],
            Conditions =
            [
                new Condition { Type = "Ready", Status = "True", Reason = "NodeAgentReady", Message = "node agent is posting ready status", LastHeartbeatTime = now, LastTransitionTime = now },
            ],
        };
        return new JsonObject { ["status"] = JsonSerializer.SerializeToNode(status, ResourceJson.Options) };
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

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "heartbeat of node {Node} failed: {Error}")]
    private partial void HeartbeatFailed(string node, string error);
}
