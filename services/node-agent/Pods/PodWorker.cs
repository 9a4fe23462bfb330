using Platform.ApiServer.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// One pod's loop (kubelet's pod worker): makes its containers match the spec, restarts them per restartPolicy
/// with back-off, runs probes, and writes the pod status when it changes. Woken by spec changes and probe
/// results, otherwise every <c>NodeAgent:SyncInterval</c> (the relist that notices exited containers).
/// </summary>
internal sealed partial class PodWorker : IAsyncDisposable
{
    private readonly PodWorkerContext _ctx;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ContainerSlot> _slots = [];
    private readonly List<(Pod Pod, string Type, string Reason, string Message, string FieldPath)> _pendingEvents = [];
    private readonly Task _loop;
    private Pod _pod;
    private bool _deleted;
    private Dictionary<string, int>? _ports;
    private PodSandbox? _sandbox;
    private string? _lastStatus;
    private DateTimeOffset? _startTime;

    /// <summary>This pod's place in line for container starts (<see cref="ContainerStartGate"/>): workers made earlier go first.</summary>
    private readonly long _ticket;

    public PodWorker(Pod pod, IReadOnlyList<ContainerInfo> adopted, PodWorkerContext ctx)
    {
        _pod = pod;
        _ctx = ctx;
        _logger = ctx.Log;
        _ticket = ctx.Starts.NextTicket();
        Adopt(adopted);
        _loop = RunAsync(_stop.Token);
    }

    public string Uid => _pod.Metadata.Uid!;
    public Task Completion => _loop;

    /// <summary>A newer version of the pod (or its deletion) arrived.</summary>
    public void Update(Pod pod, bool deleted)
    {
        _pod = pod;
        _deleted |= deleted;
        Wake();
    }

    /// <summary>Writes the status on the next sync even when unchanged: the pod object was recreated (a static pod's mirror).</summary>
    public void ResendStatus()
    {
        _lastStatus = null;
        Wake();
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private void Adopt(IReadOnlyList<ContainerInfo> adopted)
    {
        foreach (var group in adopted.Where(c => !PodNetwork.IsSandbox(c)).GroupBy(c => c.Name))
        {
            var current = group.OrderByDescending(c => c.RestartCount).First();
            var slot = NewSlot(group.Key);
            slot.ContainerId = current.Id;
            slot.RestartCount = current.RestartCount;
            slot.EverCreated = true;
            _slots[group.Key] = slot;
            if (_ports is null && current.Labels.TryGetValue(ContainerLabels.Ports, out var json))
            {
                _ports = JsonSerializer.Deserialize<Dictionary<string, int>>(json);
                if (_ports is not null && !current.Labels.ContainsKey(ContainerLabels.PodIp)) _ctx.Ports.Reserve(Uid, _ports.Values);
            }
            _startTime ??= current.StartedAt;
            // An exited container keeps its exit for the status until the first sync inspects it: a completed init
            // container is never inspected again once the pod is initialized.
            if (!current.Running)
                slot.Terminated = new ContainerStateTerminated { ExitCode = current.ExitCode, Reason = current.Reason, StartedAt = current.StartedAt, FinishedAt = current.FinishedAt };
        }
        if (adopted.Count > 0) Adopted(_pod.Metadata.Namespace, _pod.Metadata.Name, adopted.Count);
    }

    private ContainerSlot NewSlot(string name) => new(name, new CrashLoopBackOff(_ctx.Options.BackOffInitial, _ctx.Options.BackOffMax, _ctx.Options.BackOffReset));

    private async Task RunAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_deleted)
                {
                    await TerminateAsync(ct);
                    return;
                }
                await SyncAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or Docker.DotNet.DockerApiException or IOException or InvalidOperationException or TimeoutException
                                       or UnauthorizedAccessException or FormatException)
            {
                SyncFailed(_pod.Metadata.Namespace, _pod.Metadata.Name, ex.Message);
            }
            try
            {
                await _wake.WaitAsync(_ctx.Options.SyncInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var pod = _pod;
        if (_ctx.Network.AppliesTo(pod))
        {
            // The sandbox first: every container joins its network namespace. One that died is replaced.
            if (_sandbox is null || await _ctx.Runtime.PidAsync(_sandbox.ContainerId, ct) is null)
            {
                using (await _ctx.Starts.EnterAsync(_ticket, ct))
                    _sandbox = await _ctx.Network.EnsureSandboxAsync(pod, ct);
                // A new sandbox under running containers (it died, maybe while the agent was down): as kubelet does,
                // they are killed and started again in it, each counted as a restart.
                if (_sandbox.Created)
                    foreach (var slot in _slots.Values.Where(s => s.ContainerId is not null && (s.Running || s.Terminated is null)))
                        await _ctx.Runtime.RemoveAsync(slot.ContainerId!, ct);
            }
            _ports ??= ContainerPorts(pod);
        }
        _ports ??= _ctx.Ports.Allocate(Uid, PortNames(pod));
        _startTime ??= _ctx.Time.GetUtcNow();
        if (await InitializeAsync(pod, ct))
        {
            foreach (var container in pod.Spec.Containers) await SyncContainerAsync(pod, container, Slot(container.Name!), ct);
        }
        // Running containers keep reading the mounted token: replace it before it expires.
        if (_slots.Values.Any(s => s.ContainerId is not null) && pod.Spec.Containers.Any(c => ServiceAccountToken.Wanted(pod, c)))
            await ServiceAccountToken.EnsureAsync(pod, _ctx.Options, _ctx.Api, _ctx.Time, ct);
        await ReportStatusAsync(pod, ct);
        FlushEvents();
    }

    /// <summary>Events wait until the status is written: a pod's readiness should not queue behind its diagnostics.</summary>
    private void Record(Pod pod, string type, string reason, string message, string fieldPath) =>
        _pendingEvents.Add((pod, type, reason, message, fieldPath));

    private void FlushEvents()
    {
        foreach (var (pod, type, reason, message, fieldPath) in _pendingEvents) _ctx.Events.Record(pod, type, reason, message, fieldPath);
        _pendingEvents.Clear();
    }

    /// <summary>On the pod network every port is the container's own: the map holds each declared containerPort by its key.</summary>
    private static Dictionary<string, int> ContainerPorts(Pod pod) =>
        pod.Spec.Containers.SelectMany(c => c.Ports ?? []).GroupBy(ContainerEnv.PortKey).ToDictionary(g => g.Key, g => g.First().Port);

    private static List<string> PortNames(Pod pod)
    {
        var names = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(ContainerEnv.PortKey).Distinct().ToList();
        return names.Count > 0 ? names : ["0"];
    }

    private async Task SyncContainerAsync(Pod pod, Container spec, ContainerSlot slot, CancellationToken ct)
    {
        var now = _ctx.Time.GetUtcNow();
        ContainerInfo? info = slot.ContainerId is null ? null : await _ctx.Runtime.InspectAsync(slot.ContainerId, ct);
        if (info is { Running: true })
        {
            slot.Running = true;
            slot.Waiting = null;
            slot.Terminated = null;
            slot.StartedAt = info.StartedAt;
            await EnsureProbesAsync(pod, spec, slot, info.Id);
            if (slot.ProbeResult(ProbeKind.Liveness) == false && Started(slot))
            {
                var grace = TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30);
                Record(pod, "Normal", "Killing", $"Container {spec.Name} failed liveness probe, will be restarted", FieldPath(pod, spec));
                await slot.StopProbesAsync();
                await _ctx.Runtime.StopAsync(info.Id, grace, ct);
                info = await _ctx.Runtime.InspectAsync(info.Id, ct);
            }
            else
            {
                return;
            }
        }

        slot.Running = false;
        if (info is not null)
        {
            await slot.StopProbesAsync();
            slot.Terminated = new ContainerStateTerminated
            {
                ExitCode = info.ExitCode, Reason = info.Reason, StartedAt = info.StartedAt, FinishedAt = info.FinishedAt,
            };
            if (slot.HandledExitOf != info.Id)
            {
                slot.HandledExitOf = info.Id;
                var ran = (info.FinishedAt ?? now) - (info.StartedAt ?? now);
                slot.RestartNotBefore = (info.FinishedAt ?? now) + slot.BackOff.OnCrash(ran);
            }
            if (!ShouldRestart(pod, spec, info.ExitCode)) return;
            if (now < slot.RestartNotBefore)
            {
                var wait = slot.BackOff.Current == TimeSpan.Zero ? _ctx.Options.BackOffInitial : slot.BackOff.Current / 2;
                var message = $"back-off {Math.Max(wait.TotalSeconds, 1):0}s restarting failed container={spec.Name} pod={pod.Metadata.Name}";
                if (slot.Waiting?.Reason != "CrashLoopBackOff")
                    Record(pod, "Warning", "BackOff", "Back-off restarting failed container", FieldPath(pod, spec));
                slot.Waiting = new ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = message };
                return;
            }
            slot.LastTerminated = slot.Terminated;
            slot.Terminated = null;
            // The exited container stays (the one before it goes) so `logs --previous` can read it.
            await _ctx.Runtime.RemoveExitedExceptAsync(_ctx.Options.NodeName, Uid, spec.Name!, keep: info.Id, ct);
            slot.ContainerId = null;
            slot.RestartCount++;
        }
        else if (slot.EverCreated && slot.ContainerId is not null)
        {
            // The container vanished under us (removed by hand): start it again and count the restart.
            slot.ContainerId = null;
            slot.RestartCount++;
        }
        await StartContainerAsync(pod, spec, slot, ct);
    }

    private static bool Started(ContainerSlot slot) => !slot.HasProbe(ProbeKind.Startup) || slot.ProbeResult(ProbeKind.Startup) == true;

    /// <summary>restartPolicy decides; an init container that succeeded is done whatever the policy.</summary>
    private static bool ShouldRestart(Pod pod, Container spec, int exitCode) => IsInit(pod, spec) ? exitCode != 0 && pod.Spec.RestartPolicy != "Never" : pod.Spec.RestartPolicy switch
    {
        "Never" => false,
        "OnFailure" => exitCode != 0,
        _ => true,
    };

    private async Task ReportStatusAsync(Pod pod, CancellationToken ct)
    {
        var status = PodStatusBuilder.Build(pod, _slots, _ports!, _ctx.Options.Address, _sandbox?.Ip, _startTime, _ctx.Time.GetUtcNow(), _lastStatusObject, _init);
        var json = JsonSerializer.Serialize(status with { Conditions = status.Conditions?.Select(c => c with { LastTransitionTime = null, LastProbeTime = null }).ToList() }, ResourceJson.Options);
        if (json == _lastStatus) return;
        var patch = new JsonObject { ["status"] = JsonSerializer.SerializeToNode(status, ResourceJson.Options) };
        if (await _ctx.Api.MergePatchAsync(ApiClient.PodPath(pod.Metadata.Namespace!, pod.Metadata.Name!) + "/status", patch, ct))
        {
            _lastStatus = json;
            _lastStatusObject = status;
        }
    }

    private PodStatus? _lastStatusObject;

    /// <summary>Graceful termination of a deleted pod: SIGTERM, the grace period, SIGKILL; then its containers are removed.</summary>
    private async Task TerminateAsync(CancellationToken ct)
    {
        var grace = TimeSpan.FromSeconds(_pod.Spec.TerminationGracePeriodSeconds ?? 30);
        foreach (var slot in _slots.Values) await slot.StopProbesAsync();
        var all = await _ctx.Runtime.ListAsync(_ctx.Options.NodeName, Uid, ct);
        await Task.WhenAll(all.Where(c => c.Running).Select(c => _ctx.Runtime.StopAsync(c.Id, grace, ct)));
        foreach (var c in all) await _ctx.Runtime.RemoveAsync(c.Id, ct);
        _ctx.Ports.Release(Uid);
        await _ctx.Network.ReleaseAsync(Uid, ct);
        PodVolumes.Remove(_ctx.Options, Uid);
        Terminated(_pod.Metadata.Namespace, _pod.Metadata.Name, all.Count);
    }

    /// <summary>Stops the loop and the probes; the containers keep running so a restarted agent adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        foreach (var slot in _slots.Values) await slot.StopProbesAsync();
        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "sync of pod {Namespace}/{Pod} failed: {Error}")]
    private partial void SyncFailed(string? @namespace, string? pod, string error);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "pod {Namespace}/{Pod}: adopted {Count} running or exited containers")]
    private partial void Adopted(string? @namespace, string? pod, int count);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "pod {Namespace}/{Pod} deleted: {Count} containers stopped and removed")]
    private partial void Terminated(string? @namespace, string? pod, int count);
}
