namespace Platform.NodeAgent.Metrics;

/// <summary>
/// One reading of cumulative CPU time (nanoseconds) and the memory working set (bytes) at <see cref="Time"/>: of a
/// container (Docker's stats) or of the node (<c>/proc/stat</c>, <c>/proc/meminfo</c>).
/// </summary>
internal sealed record UsageSample(ulong CpuNanoseconds, ulong MemoryWorkingSetBytes, DateTimeOffset Time);

/// <summary>
/// The two latest samples of one thing: the CPU rate in nanocores is the CPU time used between them over the time
/// between them, as kubelet's <c>usageNanoCores</c> (null until a second sample exists, or if the counter went back,
/// i.e. the container restarted).
/// </summary>
internal sealed record UsageWindow(UsageSample? Previous, UsageSample Latest)
{
    public ulong? NanoCores
    {
        get
        {
            if (Previous is null || Latest.CpuNanoseconds < Previous.CpuNanoseconds) return null;
            var elapsed = (Latest.Time - Previous.Time).Ticks * 100.0;
            return elapsed <= 0 ? null : (ulong)((Latest.CpuNanoseconds - Previous.CpuNanoseconds) / elapsed * 1e9);
        }
    }

    public UsageWindow Next(UsageSample sample) => new(Latest, sample);
}

/// <summary>A running container of a pod on this node and its usage window.</summary>
internal sealed record ContainerUsage(string Id, string Namespace, string Pod, string PodUid, string Container, DateTimeOffset? StartedAt, UsageWindow Window);

/// <summary>
/// What the sampler saw on its last pass: the node's window and every running container's, swapped whole;
/// <see cref="Failed"/> when the last pass could not read the runtime (the windows are then the pass before's).
/// </summary>
internal sealed record UsageSnapshot(UsageWindow? Node, IReadOnlyList<ContainerUsage> Containers, bool Failed = false)
{
    public static readonly UsageSnapshot Empty = new(null, []);
}
