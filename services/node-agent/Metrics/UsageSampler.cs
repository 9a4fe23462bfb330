using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Metrics;

/// <summary>
/// Every <c>NodeAgent:Metrics:Interval</c>, reads each running container of this node's pods from Docker's stats API
/// (one-shot, no stream) and the node's totals from procfs, and keeps the two latest samples of each, so the CPU rate
/// of the last window is known at any time. The snapshot is swapped whole; readers never see a half-done pass.
/// </summary>
internal sealed partial class UsageSampler(DockerClient docker, IOptions<NodeAgentOptions> options, TimeProvider time, ILogger<UsageSampler> log) : BackgroundService
{
    private volatile UsageSnapshot _snapshot = UsageSnapshot.Empty;

    public UsageSnapshot Snapshot => _snapshot;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Metrics.Interval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The next pass tries again; the last snapshot stays until then, as kubelet keeps its last stats.
                _snapshot = _snapshot with { Failed = true };
                SampleFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: every running container's usage and the node's, each appended to its window.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var previous = _snapshot;
        var node = await HostUsage.ReadAsync(time.GetUtcNow(), ct: ct);
        var running = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Node}={options.Value.NodeName}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        }, ct);
        var before = previous.Containers.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var containers = new List<ContainerUsage>(running.Count);
        foreach (var c in running)
        {
            if (c.Labels.ContainsKey(ContainerLabels.Sandbox) || !c.Labels.TryGetValue(ContainerLabels.PodUid, out var uid)) continue;
            var sample = await ReadAsync(c.ID, ct);
            if (sample is null) continue;
            var window = before.TryGetValue(c.ID, out var known) ? known.Window.Next(sample) : new UsageWindow(null, sample);
            string Label(string key) => c.Labels.TryGetValue(key, out var v) ? v : "";
            containers.Add(new ContainerUsage(c.ID, Label(ContainerLabels.PodNamespace), Label(ContainerLabels.PodName), uid, Label(ContainerLabels.Container), known?.StartedAt ?? await StartedAtAsync(c.ID, ct), window));
        }
        var nodeWindow = node is null ? previous.Node : previous.Node is { } w ? w.Next(node) : new UsageWindow(null, node);
        _snapshot = new UsageSnapshot(nodeWindow, containers);
    }

    private async Task<UsageSample?> ReadAsync(string id, CancellationToken ct)
    {
        ContainerStatsResponse? stats = null;
        try
        {
            await docker.Containers.GetContainerStatsAsync(id, new ContainerStatsParameters { Stream = false, OneShot = true },
                new Progress(s => stats = s), ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return null; // gone between the list and the read
        }
        if (stats?.CPUStats?.CPUUsage is not { } cpu || stats.MemoryStats is not { } memory) return null;
        var at = stats.Read.Year > 1 ? new DateTimeOffset(DateTime.SpecifyKind(stats.Read, DateTimeKind.Utc)) : time.GetUtcNow();
        return new UsageSample(cpu.TotalUsage, WorkingSet(memory), at);
    }

    /// <summary>
    /// usage − inactive_file, never below zero, as cAdvisor and metrics-server count it (cgroup v2's
    /// <c>inactive_file</c>, v1's <c>total_inactive_file</c>): page cache the kernel can drop is not the container's.
    /// </summary>
    public static ulong WorkingSet(MemoryStats memory)
    {
        var stats = memory.Stats ?? new Dictionary<string, ulong>();
        var inactive = stats.TryGetValue("inactive_file", out var v2) ? v2 : stats.TryGetValue("total_inactive_file", out var v1) ? v1 : 0;
        return memory.Usage > inactive ? memory.Usage - inactive : 0;
    }

    private async Task<DateTimeOffset?> StartedAtAsync(string id, CancellationToken ct)
    {
        try
        {
            var inspect = await docker.Containers.InspectContainerAsync(id, ct);
            return DateTimeOffset.TryParse(inspect.State.StartedAt, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Docker.DotNet reports through IProgress; a synchronous one, so the value is set when the call returns.</summary>
    private sealed class Progress(Action<ContainerStatsResponse> report) : IProgress<ContainerStatsResponse>
    {
        public void Report(ContainerStatsResponse value) => report(value);
    }

    [LoggerMessage(EventId = 640, Level = LogLevel.Warning, Message = "resource usage sampling failed: {Error}")]
    private partial void SampleFailed(string error);
}
