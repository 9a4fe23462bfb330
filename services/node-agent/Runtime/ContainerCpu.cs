using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Runtime;

/// <summary>
/// kubelet's CPU arithmetic (<c>pkg/kubelet/cm/helpers_linux.go</c>): a request becomes CFS shares
/// (<c>milliCPU * 1024 / 1000</c>, at least 2), a limit a CFS quota over a 100 ms period (at least 1 ms).
/// </summary>
internal static class ContainerCpu
{
    public const long QuotaPeriod = 100_000;
    private const long MinShares = 2;
    private const long SharesPerCpu = 1024;
    private const long MinQuota = 1_000;

    /// <summary>
    /// Shares from <c>requests.cpu</c>, or from <c>limits.cpu</c> when only a limit is set (Kubernetes defaults the
    /// request to the limit). Null when neither is set: kubelet would give such a container 2 shares, but there the
    /// pods sit in their own cgroup; here a best-effort container competes with the whole machine, so it keeps
    /// Docker's default weight instead of starving.
    /// </summary>
    public static long? Shares(ResourceRequirements? resources)
    {
        var milli = Milli(resources?.Requests) ?? Milli(resources?.Limits);
        return milli is { } m ? Math.Max(MinShares, m * SharesPerCpu / 1000) : null;
    }

    /// <summary>The CFS quota in microseconds per <see cref="QuotaPeriod"/> for <c>limits.cpu</c>; null without a limit.</summary>
    public static long? Quota(ResourceRequirements? resources) =>
        Milli(resources?.Limits) is { } m ? Math.Max(MinQuota, m * QuotaPeriod / 1000) : null;

    private static long? Milli(ResourceList? list) =>
        list?.GetValueOrDefault("cpu") is { } q && Quantity.TryParse(q, out var v) && v > 0 ? Quantity.ToMilli(v) : null;
}
