using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: only the safe sysctls (namespaced, isolated from other pods) may be set; the set grew with the policy versions.</summary>
internal static class SysctlsCheck
{
    private static readonly HashSet<string> V1_0 =
        ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];
    private static readonly HashSet<string> V1_27 = [.. V1_0, "net.ipv4.ip_local_reserved_ports"];
    private static readonly HashSet<string> V1_29 = [.. V1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
    private static readonly HashSet<string> V1_32 = [.. V1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
    private static readonly HashSet<string> V1_37 = [.. V1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

    public static PodCheck Definition { get; } = new("sysctls", Level.Baseline,
        [new(0, (m, s) => Evaluate(s, V1_0)), new(27, (m, s) => Evaluate(s, V1_27)), new(29, (m, s) => Evaluate(s, V1_29)),
         new(32, (m, s) => Evaluate(s, V1_32)), new(37, (m, s) => Evaluate(s, V1_37))]);

    private static CheckResult? Evaluate(PodSpec spec, HashSet<string> allowed)
    {
        var forbidden = (spec.SecurityContext?.Sysctls ?? []).Where(s => s is not null && !allowed.Contains(s.Name ?? "")).Select(s => s.Name ?? "").ToList();
        return forbidden.Count == 0 ? null : new CheckResult("forbidden sysctls", string.Join(", ", forbidden));
    }
}
