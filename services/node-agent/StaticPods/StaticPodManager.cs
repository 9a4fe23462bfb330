using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.StaticPods;

/// <summary>
/// Static pods (kubelet's staticPodPath): pods declared by manifest files in <c>NodeAgent:StaticPodPath</c>, run on this
/// node by the ordinary <see cref="PodWorker"/> without the apiserver or the scheduler, and shown in the apiserver as
/// mirror pods. The folder is watched, with a full rescan every <c>NodeAgent:StaticPodRescanInterval</c> behind the
/// watcher; a changed file is a new pod (its uid is the manifest's hash), a removed file stops its pod.
/// </summary>
internal sealed partial class StaticPodManager(
    ApiClient api, SharedInformerFactory informers, ContainerRuntime runtime, ContainerStartGate starts, PortAllocator ports, PodNetwork network, Dns.ClusterDnsHost dns, Prober prober, EventRecorder events,
    IOptions<NodeAgentOptions> options, TimeProvider time, ILoggerFactory loggers, ILogger<StaticPodManager> log) : BackgroundService
{
    /// <summary>Editors write a file in several steps; one scan after the burst of watcher events reads the end result.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(10);

    private readonly NodeAgentOptions _o = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (StaticPod Pod, PodWorker Worker)> _running = [];
    private readonly List<(StaticPod Pod, PodWorker Worker)> _terminating = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<ManifestProblem> _reported = [];
    private IReadOnlyList<ManifestProblem> _problems = [];
    private PodWorkerContext? _ctx;

    /// <summary>Completes after the first scan, once the static pods found have their workers (and adopted containers).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The uids (manifest hashes) of the static pods this agent runs or is still stopping.</summary>
    public IReadOnlyCollection<string> Uids
    {
        get { lock (_lock) return [.. _running.Keys, .. _terminating.Select(t => t.Pod.Hash)]; }
    }

    /// <summary>The static pods running now (for tests and diagnostics).</summary>
    public IReadOnlyList<StaticPod> Running
    {
        get { lock (_lock) return [.. _running.Values.Select(r => r.Pod)]; }
    }

    /// <summary>The files or documents the last scan skipped, and why.</summary>
    public IReadOnlyList<ManifestProblem> Problems => Volatile.Read(ref _problems);

    /// <summary>A mirror pod of this node was deleted in the apiserver: look again now rather than at the next rescan.</summary>
    public void MirrorDeleted() => Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = _o.StaticPodPath;
        if (string.IsNullOrWhiteSpace(folder))
        {
            _ready.TrySetResult();
            return;
        }
        // Static pods start without waiting for the apiserver: their service variables are the Services known by then.
        _ctx = new PodWorkerContext(api, informers.For<Service>(ResourceKinds.Service), runtime, starts, ports, network, dns, prober, events, _o, time, loggers.CreateLogger<PodWorker>());
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FolderUnusable(folder, ex.Message);
        }
        using var watcher = Watch(folder);
        try
        {
            var adoptable = await ContainersAsync(stoppingToken);
            var retry = RetryInitial;
            while (!stoppingToken.IsCancellationRequested)
            {
                Scan(folder, adoptable);
                adoptable = null;
                _ready.TrySetResult();
                // Mirrors wait for the Node's registration or for the apiserver to answer: try again soon, backing off,
                // rather than at the next rescan.
                var synced = await SyncMirrorsAsync(stoppingToken);
                await WaitAsync(synced ? _o.StaticPodRescanInterval : Min(retry, _o.StaticPodRescanInterval), stoppingToken);
                retry = synced ? RetryInitial : Min(retry * 2, RetryMax);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _ready.TrySetResult(); // never leave the pod manager's first sync waiting on a loop that ended
            // Running static pods keep their containers, so the next agent adopts them; stops under way are cut short
            // and finished by the next agent's orphan sweep.
            List<PodWorker> workers;
            lock (_lock) workers = [.. _running.Values.Select(r => r.Worker), .. _terminating.Select(t => t.Worker)];
            foreach (var w in workers) await w.DisposeAsync();
        }
    }

    /// <summary>This node's containers by pod uid, so the first scan adopts those of unchanged static pods.</summary>
    private async Task<Dictionary<string, List<ContainerInfo>>> ContainersAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                var containers = await runtime.ListAsync(_o.NodeName, ct);
                return containers.GroupBy(c => c.PodUid).ToDictionary(g => g.Key, g => g.ToList());
            }
            catch (Exception ex) when (ex is Docker.DotNet.DockerApiException or HttpRequestException or IOException or TimeoutException)
            {
                RuntimeUnavailable(ex.Message, delay);
                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Scan(string folder, Dictionary<string, List<ContainerInfo>>? adoptable)
    {
        List<StaticPod> pods;
        List<ManifestProblem> problems;
        try
        {
            (pods, problems) = StaticPodManifests.Load(folder, _o.NodeName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder itself cannot be listed: keep what runs rather than stopping every static pod on a glitch.
            FolderUnusable(folder, ex.Message);
            return;
        }
        Report(problems);
        var desired = pods.ToDictionary(p => p.Hash);
        lock (_lock)
        {
            _terminating.RemoveAll(t => t.Worker.Completion.IsCompleted);
            foreach (var (hash, (pod, worker)) in _running.Where(r => !desired.ContainsKey(r.Key)).ToList())
            {
                _running.Remove(hash);
                worker.Update(pod.Pod, deleted: true);
                _terminating.Add((pod, worker));
                worker.Completion.ContinueWith(_ => Wake(), TaskScheduler.Default);
                StaticPodStopping(pod.Key, pod.File, hash);
            }
            foreach (var pod in desired.Values.Where(p => !_running.ContainsKey(p.Hash)))
            {
                // The same manifest restored while its previous pod still stops: start it once that pod is gone.
                if (_terminating.Any(t => t.Pod.Hash == pod.Hash)) continue;
                List<ContainerInfo>? adopted = null;
                adoptable?.Remove(pod.Hash, out adopted);
                _running[pod.Hash] = (pod, new PodWorker(pod.Pod, adopted ?? [], _ctx!));
                StaticPodStarted(pod.Key, pod.File, pod.Hash, adopted?.Count ?? 0);
            }
        }
    }

    /// <summary>Logs each skipped file once per distinct reason, not on every rescan.</summary>
    private void Report(List<ManifestProblem> problems)
    {
        Volatile.Write(ref _problems, problems);
        var now = problems.ToHashSet();
        foreach (var p in now.Where(p => !_reported.Contains(p))) ManifestSkipped(p.File, p.Reason);
        _reported = now;
    }

    private FileSystemWatcher? Watch(string folder)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Created += (_, _) => Wake();
            watcher.Changed += (_, _) => Wake();
            watcher.Deleted += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.Error += (_, e) =>
            {
                WatcherFailed(folder, e.GetException().Message);
                Wake();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // The periodic rescan still sees every change, only later.
            WatcherFailed(folder, ex.Message);
            return null;
        }
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (!await _wake.WaitAsync(timeout, ct)) return;
        await Task.Delay(Debounce, time, ct);
        _wake.Wait(0, CancellationToken.None);
    }

    public override void Dispose()
    {
        base.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "static pod manifest {File} skipped: {Reason}")]
    private partial void ManifestSkipped(string file, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "static pod {Pod} from {File} (hash {Hash}) started; {Adopted} running containers adopted")]
    private partial void StaticPodStarted(string pod, string file, string hash, int adopted);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "static pod {Pod} from {File} (hash {Hash}) is no longer declared: stopping it")]
    private partial void StaticPodStopping(string pod, string file, string hash);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "static pod folder {Folder} unusable: {Error}")]
    private partial void FolderUnusable(string folder, string error);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "watching static pod folder {Folder} failed ({Error}); relying on the periodic rescan")]
    private partial void WatcherFailed(string folder, string error);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "listing containers for static pods failed: {Error}; retrying in {Delay}")]
    private partial void RuntimeUnavailable(string error, TimeSpan delay);
}
