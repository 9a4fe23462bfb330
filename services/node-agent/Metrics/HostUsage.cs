using System.Globalization;

namespace Platform.NodeAgent.Metrics;

/// <summary>
/// The machine's totals from procfs: CPU time as the busy jiffies of <c>/proc/stat</c>'s <c>cpu</c> line (user, nice,
/// system, irq, softirq, steal; idle and iowait are not use), memory working set as <c>MemTotal − MemAvailable</c>
/// of <c>/proc/meminfo</c> (what is in use and cannot be dropped, as the root cgroup's usage − inactive_file).
/// </summary>
internal static class HostUsage
{
    /// <summary>USER_HZ, the unit of /proc/stat on every Linux architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    public static async Task<UsageSample?> ReadAsync(DateTimeOffset now, string procRoot = "/proc", CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(procRoot, "stat")) || !File.Exists(Path.Combine(procRoot, "meminfo"))) return null;
        var cpu = ParseCpu(await File.ReadAllLinesAsync(Path.Combine(procRoot, "stat"), ct));
        var memory = ParseWorkingSet(await File.ReadAllLinesAsync(Path.Combine(procRoot, "meminfo"), ct));
        return cpu is null || memory is null ? null : new UsageSample(cpu.Value, memory.Value, now);
    }

    /// <summary>Busy CPU time of all cores, in nanoseconds, from the aggregate <c>cpu</c> line.</summary>
    public static ulong? ParseCpu(IEnumerable<string> stat)
    {
        var line = stat.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null) return null;
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        if (f.Length < 4) return null;
        ulong At(int i) => i < f.Length ? f[i] : 0;
        var busy = At(0) + At(1) + At(2) + At(5) + At(6) + At(7);
        return (ulong)(busy / ClockTicksPerSecond * 1e9);
    }

    public static ulong? ParseWorkingSet(IEnumerable<string> meminfo)
    {
        ulong? total = null, available = null;
        foreach (var line in meminfo)
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = Kilobytes(line);
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = Kilobytes(line);
        }
        return total is { } t && available is { } a && a <= t ? (t - a) * 1024 : null;
    }

    private static ulong? Kilobytes(string line) =>
        ulong.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
}
