using Platform.ApiServer.Client;
using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Api;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Registration;
using Platform.NodeAgent.Runtime;
using Platform.NodeAgent.StaticPods;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// The pods bound to this node, one <see cref="PodWorker"/> each. Lists them once at start (adopting the containers
/// Docker still runs for them and removing containers of pods that are gone), then applies pod events from Kafka;
/// each event carries its resourceVersion, so stale and duplicate events are ignored.
/// </summary>
internal sealed partial class PodManager(
    ApiClient api, ContainerRuntime runtime, PortAllocator ports, Prober prober, EventRecorder events, NodeRegistrar registrar,
    StaticPodManager staticPods, IOptions<NodeAgentOptions> options, TimeProvider time, ILoggerFactory loggers, ILogger<PodManager> log) : BackgroundService
{
    private readonly NodeAgentOptions _o = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodWorker> _workers = [];
    private readonly Dictionary<string, long> _versions = [];
    private readonly HashSet<string> _deleted = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, List<ContainerInfo>> _adoptable = [];
    private PodWorkerContext? _ctx;

    /// <summary>Completes after the initial list and adoption.</summary>
    public Task Synced => _synced.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ctx = new PodWorkerContext(api, runtime, ports, prober, events, _o, time, loggers.CreateLogger<PodWorker>());
        await registrar.Registered.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await InitialSyncAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or Docker.DotNet.DockerApiException or IOException)
            {
                InitialSyncFailed(ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
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

    private async Task InitialSyncAsync(CancellationToken ct)
    {
        var (pods, rv) = await api.ListAsync<Pod>($"/api/v1/pods?fieldSelector=spec.nodeName%3D{_o.NodeName}", ct);
        // Static pods are the StaticPodManager's, their mirrors are not run; its first scan says which containers are its.
        await staticPods.Ready.WaitAsync(ct);
        pods = [.. pods.Where(p => !StaticPodAnnotations.IsMirror(p))];
        var containers = await runtime.ListAsync(_o.NodeName, ct);
        var live = pods.Select(p => p.Metadata.Uid!).Concat(staticPods.Uids).ToHashSet();
        foreach (var orphan in containers.Where(c => !live.Contains(c.PodUid)))
        {
            var grace = int.TryParse(orphan.Labels.GetValueOrDefault(ContainerLabels.GracePeriod), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 30;
            if (orphan.Running) await runtime.StopAsync(orphan.Id, TimeSpan.FromSeconds(grace), ct);
            await runtime.RemoveAsync(orphan.Id, ct);
            OrphanRemoved(orphan.PodNamespace, orphan.PodName, orphan.Name);
        }
        var podsDir = Path.Combine(_o.StateDirectory, "pods");
        if (Directory.Exists(podsDir))
            foreach (var dir in Directory.GetDirectories(podsDir).Where(d => !live.Contains(Path.GetFileName(d))))
                Directory.Delete(dir, recursive: true); // volumes of pods deleted while the agent was down
        _adoptable = containers.Where(c => live.Contains(c.PodUid)).GroupBy(c => c.PodUid).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var pod in pods) Apply(pod, VersionOf(pod) ?? rv, deleted: false);
        _synced.TrySetResult();
        InitialSyncDone(pods.Count, containers.Count);
    }

    public static long? VersionOf(Pod pod) =>
        long.TryParse(pod.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Applies one version of a pod bound to this node; versions older than the last seen are ignored.</summary>
    public void Apply(Pod pod, long version, bool deleted)
    {
        if (pod.Spec.NodeName != _o.NodeName || pod.Metadata.Uid is not { } uid) return;
        if (StaticPodAnnotations.IsMirror(pod))
        {
            // A mirror only shows a static pod; a deleted one is recreated, as kubelet does.
            if (deleted) staticPods.MirrorDeleted();
            return;
        }
        lock (_lock)
        {
            foreach (var done in _workers.Where(kv => kv.Value.Completion.IsCompleted).Select(kv => kv.Key).ToList()) _workers.Remove(done);
            if (_deleted.Contains(uid)) return;
            if (_versions.TryGetValue(uid, out var seen) && version <= seen && !deleted) return;
            _versions[uid] = Math.Max(version, seen);
            if (deleted)
            {
                _deleted.Add(uid);
                if (_workers.TryGetValue(uid, out var w)) w.Update(pod, deleted: true);
                return;
            }
            if (_workers.TryGetValue(uid, out var existing))
            {
                existing.Update(pod, deleted: false);
                return;
            }
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
