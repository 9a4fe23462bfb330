using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Network;

/// <summary>
/// Pods off the host network (CNI's bridge plugin with host-local IPAM, done by the agent itself): a sandbox container
/// started first with no network, its namespace given a veth on the node bridge and an IP leased from the node's
/// podCIDR (<c>spec.podCIDR</c>, else <c>NodeAgent:PodNetwork:PodCidr</c>); the pod's containers join that namespace.
/// </summary>
internal sealed partial class PodNetwork
{
    private readonly ContainerRuntime _runtime;
    private readonly ApiClient _api;
    private readonly NodeAgentOptions _o;
    private readonly ILogger<PodNetwork> _log;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private PodCidr? _cidr;
    private bool _bridgeReady;
    private readonly TaskCompletionSource<string> _bridgeUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PodNetwork(ContainerRuntime runtime, ApiClient api, CommandRunner run, IOptions<NodeAgentOptions> options, ILogger<PodNetwork> log)
    {
        _runtime = runtime;
        _api = api;
        _o = options.Value;
        _log = log;
        Enabled = _o.PodNetwork.IsEnabled;
        Bridge = new NodeBridge(run, NetworkNames.Bridge(_o.NodeName));
        Ipam = new IpamStore(Path.Combine(_o.StateDirectory, "network", "ipam"));
    }

    public bool Enabled { get; }
    internal NodeBridge Bridge { get; }
    internal IpamStore Ipam { get; }

    /// <summary>Whether <paramref name="pod"/> gets a network of its own here.</summary>
    public bool AppliesTo(Pod pod) => Enabled && pod.Spec.HostNetwork != true;

    /// <summary>The pod's running, wired sandbox: the one Docker has (after an agent restart too), or a new one.</summary>
    public async Task<PodSandbox> EnsureSandboxAsync(Pod pod, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid!;
        var cidr = await CidrAsync(ct);
        var ip = Ipam.Allocate(cidr, uid);
        var existing = (await _runtime.ListAsync(_o.NodeName, uid, ct)).Where(IsSandbox).ToList();
        var running = existing.FirstOrDefault(c => c.Running);
        foreach (var dead in existing.Where(c => c != running)) await _runtime.RemoveAsync(dead.Id, ct);
        var id = running?.Id;
        if (id is null)
        {
            await _runtime.EnsureImageAsync(_o.PodNetwork.PauseImage, "IfNotPresent", null, ct);
            var labels = new Dictionary<string, string>
            {
                [ContainerLabels.Node] = _o.NodeName,
                [ContainerLabels.PodUid] = uid,
                [ContainerLabels.PodNamespace] = pod.Metadata.Namespace!,
                [ContainerLabels.PodName] = pod.Metadata.Name!,
                [ContainerLabels.Container] = ContainerLabels.SandboxName,
                [ContainerLabels.Sandbox] = "true",
                [ContainerLabels.PodIp] = ip,
                [ContainerLabels.GracePeriod] = "0",
            };
            id = await _runtime.CreateSandboxAsync(_o.PodNetwork.PauseImage, $"plat_{pod.Metadata.Namespace}_{pod.Metadata.Name}_POD_{uid[..Math.Min(8, uid.Length)]}",
                PodHostname(pod), labels, ct);
            SandboxStarted(pod.Metadata.Namespace, pod.Metadata.Name, ip);
        }
        var pid = await _runtime.PidAsync(id, ct) ?? throw new PodNetworkException($"sandbox {id[..12]} of pod {pod.Metadata.Name} is not running");
        await EnsureBridgeAsync(cidr, ct);
        try
        {
            await Bridge.AttachAsync(uid, pid, ip, cidr, fresh: running is null, ct);
        }
        catch (PodNetworkException)
        {
            _bridgeReady = false; // the bridge may be what broke (deleted by hand): the next attempt makes it again
            throw;
        }
        return new PodSandbox(id, ip, running is null);
    }

    /// <summary>
    /// Creates or fixes the bridge and the nft table once, not for every pod (seven processes each time); pods are then
    /// wired in parallel.
    /// </summary>
    private async Task EnsureBridgeAsync(PodCidr cidr, CancellationToken ct)
    {
        if (Volatile.Read(ref _bridgeReady)) return;
        await _setup.WaitAsync(ct);
        try
        {
            if (_bridgeReady) return;
            await Bridge.EnsureAsync(cidr, ct);
            _bridgeUp.TrySetResult(cidr.Gateway.ToString());
            _bridgeReady = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>
    /// Completes with the bridge's address (the pods' gateway, where cluster DNS listens) once the first sandbox has
    /// wired the bridge: the node's podCIDR is then the one it keeps (a Node's <c>spec.podCIDR</c> may arrive after start).
    /// </summary>
    public Task<string> BridgeUp => _bridgeUp.Task;

    /// <summary>After the pod's containers (its sandbox among them) are removed: its veth and its lease go.</summary>
    public async Task ReleaseAsync(string podUid, CancellationToken ct)
    {
        if (!Enabled) return;
        await Bridge.DetachAsync(podUid, ct);
        Ipam.Release(podUid);
    }

    /// <summary>
    /// At start, once orphaned containers are gone: leases and veths of pods without a live sandbox here are removed
    /// (a lease of a pod that is still bound stays, so it gets its address back).
    /// </summary>
    public async Task ReconcileAsync(IReadOnlySet<string> livePods, IReadOnlyList<ContainerInfo> remaining, CancellationToken ct)
    {
        if (!Enabled) return;
        var sandboxes = remaining.Where(c => IsSandbox(c) && c.Running && livePods.Contains(c.PodUid)).Select(c => c.PodUid).ToHashSet();
        foreach (var (ip, uid) in Ipam.Leases().Where(l => !livePods.Contains(l.PodUid)))
        {
            Ipam.Release(uid);
            StaleLeaseRemoved(ip, uid);
        }
        var wanted = sandboxes.Select(NetworkNames.HostVeth).ToHashSet();
        foreach (var veth in (await Bridge.VethsAsync(ct)).Where(v => !wanted.Contains(v)))
        {
            await Bridge.DeleteLinkAsync(veth, ct);
            StaleVethRemoved(veth);
        }
    }

    /// <summary>
    /// The pod's host name, as kubelet gives it: <c>spec.hostname</c>, else the pod's name cut to 63 characters
    /// without a trailing '-' or '.'. Set on the sandbox, whose UTS namespace the app containers join with its network.
    /// </summary>
    public static string PodHostname(Pod pod)
    {
        if (pod.Spec.Hostname is { Length: > 0 } hostname) return hostname;
        var name = pod.Metadata.Name ?? "";
        return name.Length <= 63 ? name : name[..63].TrimEnd('-', '.');
    }

    public static bool IsSandbox(ContainerInfo c) => c.Labels.GetValueOrDefault(ContainerLabels.Sandbox) == "true";

    /// <summary>The node's podCIDR, read once: the Node's <c>spec.podCIDR</c>, else the configured fallback.</summary>
    private async Task<PodCidr> CidrAsync(CancellationToken ct)
    {
        if (_cidr is not null) return _cidr;
        var node = await _api.GetAsync<Node>(ResourceKinds.Node.ObjectPath(null, _o.NodeName), ct);
        var text = node?.Spec.PodCIDR is { Length: > 0 } assigned ? assigned : _o.PodNetwork.PodCidr;
        if (string.IsNullOrEmpty(text))
            throw new PodNetworkException($"node {_o.NodeName} has no spec.podCIDR yet and NodeAgent:PodNetwork:PodCidr is not set");
        _cidr = PodCidr.Parse(text);
        CidrChosen(_o.NodeName, text, Bridge.Name);
        return _cidr;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "pod network of node {Node}: {Cidr} on bridge {Bridge}")]
    private partial void CidrChosen(string node, string cidr, string bridge);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "sandbox of pod {Namespace}/{Pod} started with IP {Ip}")]
    private partial void SandboxStarted(string? @namespace, string? pod, string ip);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "removed stale lease {Ip} of pod {PodUid}")]
    private partial void StaleLeaseRemoved(string ip, string podUid);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "removed stale veth {Veth}")]
    private partial void StaleVethRemoved(string veth);
}
