using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Registration;
using Platform.NodeAgent.Runtime;
using Platform.NodeAgent.StaticPods;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// The pods bound to this node, one <see cref="PodWorker"/> each (by uid), followed through the shared
/// <see cref="Informer{T}"/> of pods listed with <c>fieldSelector=spec.nodeName=&lt;node&gt;</c> and fed by Kafka. Once the
/// node is registered, the informer holds its first list and the static pods have their workers, containers of pods
/// that are gone are removed; only then are the handlers added, so the workers of the pods held adopt the containers
/// Docker still runs for them.
/// </summary>
internal sealed partial class PodManager(
    ApiClient api, SharedInformerFactory informers, ContainerRuntime runtime, ContainerStartGate starts, PortAllocator ports, PodNetwork network, Dns.ClusterDnsHost dns, Prober prober, EventRecorder events,
    NodeRegistrar registrar, StaticPodManager staticPods, IOptions<NodeAgentOptions> options, TimeProvider time, ILoggerFactory loggers,
    ILogger<PodManager> log) : BackgroundService
{
    private readonly NodeAgentOptions _o = options.Value;
    private readonly Informer<Pod> _pods = PodsOf(informers, options.Value.NodeName);
    private readonly Informer<Service> _services = informers.For<Service>(ResourceKinds.Service);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodWorker> _workers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, List<ContainerInfo>> _adoptable = [];
    private PodWorkerContext? _ctx;

    /// <summary>Kafka carries every pod of the cluster: the filter keeps what the list's field selector keeps.</summary>
    private static Informer<Pod> PodsOf(SharedInformerFactory informers, string node) =>
        informers.For<Pod>(ResourceKinds.Pod, o =>
        {
            o.Query = $"fieldSelector=spec.nodeName%3D{node}";
            o.Filter = r => r is Pod p && p.Spec.NodeName == node;
        });

    /// <summary>Completes after the initial sync: orphans removed, a worker (with its adopted containers) for every pod held.</summary>
    public Task Synced => _synced.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ctx = new PodWorkerContext(api, _services, runtime, starts, ports, network, dns, prober, events, _o, time, loggers.CreateLogger<PodWorker>());
        await registrar.Registered.WaitAsync(stoppingToken);
        await _pods.WaitForSyncAsync(stoppingToken);
        // A container's service variables name the Services that exist when it starts: know them first.
        await _services.WaitForSyncAsync(stoppingToken);
        // Static pods are the StaticPodManager's, their mirrors are not run; its first scan says which containers are its.
        await staticPods.Ready.WaitAsync(stoppingToken);
        var containers = 0;
        await RetryAsync(async ct => containers = await RemoveOrphansAsync(ct), stoppingToken);
        _pods.OnChange(OnChange);
        // Pods deleted while the orphans were removed were never handed to the handler: their containers are orphans too.
        List<ContainerInfo> left;
        lock (_lock)
        {
            left = [.. _adoptable.Values.SelectMany(c => c)];
            _adoptable = [];
        }
        if (left.Count > 0) await RetryAsync(ct => RemoveAsync(left, ct), stoppingToken);
        _synced.TrySetResult();
        InitialSyncDone(WorkerCount, containers);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        List<PodWorker> workers;
        lock (_lock) workers = [.. _workers.Values];
        foreach (var w in workers) await w.DisposeAsync();
    }

    /// <summary>Removes the containers and volumes of pods neither held nor static; keeps the others' containers for adoption. Returns how many containers it found.</summary>
    private async Task<int> RemoveOrphansAsync(CancellationToken ct)
    {
        var containers = await runtime.ListAsync(_o.NodeName, ct);
        var pods = _pods.List().Where(p => !StaticPodAnnotations.IsMirror(p)).Select(p => p.Metadata.Uid!).ToHashSet();
        var live = pods.Concat(staticPods.Uids).ToHashSet();
        await RemoveAsync(containers.Where(c => !live.Contains(c.PodUid)), ct);
        // Then the network they leave: leases of pods gone, veths whose sandbox is gone.
        await network.ReconcileAsync(live, containers.Where(c => live.Contains(c.PodUid)).ToList(), ct);
        var podsDir = Path.Combine(_o.StateDirectory, "pods");
        if (Directory.Exists(podsDir))
            foreach (var dir in Directory.GetDirectories(podsDir).Where(d => !live.Contains(Path.GetFileName(d))))
                Directory.Delete(dir, recursive: true); // volumes of pods deleted while the agent was down
        lock (_lock) _adoptable = containers.Where(c => pods.Contains(c.PodUid)).GroupBy(c => c.PodUid).ToDictionary(g => g.Key, g => g.ToList());
        return containers.Count;
    }

    private async Task RemoveAsync(IEnumerable<ContainerInfo> orphans, CancellationToken ct)
    {
        foreach (var orphan in orphans)
        {
            var grace = int.TryParse(orphan.Labels.GetValueOrDefault(ContainerLabels.GracePeriod), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 30;
            if (orphan.Running) await runtime.StopAsync(orphan.Id, TimeSpan.FromSeconds(grace), ct);
            await runtime.RemoveAsync(orphan.Id, ct);
            PodVolumes.Remove(_o, orphan.PodUid);
            OrphanRemoved(orphan.PodNamespace, orphan.PodName, orphan.Name);
        }
    }

    /// <summary>Docker or the disk failed: the same step again, backing off up to 10 s.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> step, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await step(ct);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or Docker.DotNet.DockerApiException or IOException or PodNetworkException)
            {
                InitialSyncFailed(ex.Message, delay);
                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>The informer's handler: each pod once per version, in order; a changed uid under the same name is another pod.</summary>
    private void OnChange(Pod? old, Pod? now)
    {
        if (old is not null && (now is null || now.Metadata.Uid != old.Metadata.Uid)) Apply(old, deleted: true);
        if (now is not null) Apply(now, deleted: false);
    }

    private void Apply(Pod pod, bool deleted)
    {
        if (pod.Metadata.Uid is not { } uid) return;
        if (StaticPodAnnotations.IsMirror(pod))
        {
            // A mirror only shows a static pod; a deleted one is recreated, as kubelet does.
            if (deleted) staticPods.MirrorDeleted();
            return;
        }
        lock (_lock)
        {
            foreach (var done in _workers.Where(kv => kv.Value.Completion.IsCompleted).Select(kv => kv.Key).ToList()) _workers.Remove(done);
            if (_workers.TryGetValue(uid, out var existing))
            {
                existing.Update(pod, deleted);
                return;
            }
            if (deleted) return;
            var adopted = _adoptable.Remove(uid, out var list) ? list : [];
            _workers[uid] = new PodWorker(pod, adopted, _ctx!);
        }
    }

    /// <summary>The workers running (for tests and diagnostics).</summary>
    public int WorkerCount
    {
        get { lock (_lock) return _workers.Count(w => !w.Value.Completion.IsCompleted); }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "initial sync: {Pods} pods bound here, {Containers} containers found")]
    private partial void InitialSyncDone(int pods, int containers);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "initial pod sync failed: {Error}; retrying in {Delay}")]
    private partial void InitialSyncFailed(string error, TimeSpan delay);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "removed container {Container} of pod {Namespace}/{Pod}, which no longer exists")]
    private partial void OrphanRemoved(string @namespace, string pod, string container);
}
