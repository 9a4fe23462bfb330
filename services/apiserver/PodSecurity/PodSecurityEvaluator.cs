using Platform.ApiServer.PodSecurity.Checks;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity;

/// <summary>
/// Runs the checks of a level at a policy version, as kube-apiserver's check registry does: each check in the version
/// it had then, restricted including baseline but for the baseline checks a restricted one replaces, and
/// <c>latest</c> (or a version newer than any check) meaning the newest of each.
/// </summary>
internal static class PodSecurityEvaluator
{
    /// <summary>Every check; adding one is a file under <c>Checks/</c> and a line here.</summary>
    public static IReadOnlyList<PodCheck> Checks { get; } =
    [
        AppArmorProfileCheck.Definition, CapabilitiesBaselineCheck.Definition, HostNamespacesCheck.Definition, HostPathVolumesCheck.Definition, HostPortsCheck.Definition,
        HostProbesAndHostLifecycleCheck.Definition, PrivilegedCheck.Definition, ProcMountCheck.Baseline, SeLinuxOptionsCheck.Definition, SeccompProfileBaselineCheck.Definition, SysctlsCheck.Definition,
        AllowPrivilegeEscalationCheck.Definition, CapabilitiesRestrictedCheck.Definition, ProcMountCheck.Restricted, RestrictedVolumesCheck.Definition, RunAsNonRootCheck.Definition,
        RunAsUserCheck.Definition, SeccompProfileRestrictedCheck.Definition,
    ];

    /// <summary>The newest policy version any check knows: what <c>latest</c> evaluates.</summary>
    public static int NewestMinor { get; } = Checks.Max(c => c.Versions[^1].MinimumMinor);

    public static PodSecurityResult Evaluate(LevelVersion policy, ObjectMeta? meta, PodSpec spec)
    {
        if (policy.Level == Level.Privileged) return new PodSecurityResult([]);
        var minor = policy.Version.IsLatest ? NewestMinor : Math.Min(policy.Version.Minor, NewestMinor);
        var active = Checks
            .Where(c => c.Level <= policy.Level)
            .Select(c => (c.Id, c.Level, Impl: c.Versions.LastOrDefault(v => v.MinimumMinor <= minor)))
            .Where(c => c.Impl is not null)
            .ToList();
        var overridden = active.Where(c => c.Level == Level.Restricted).SelectMany(c => c.Impl!.Overrides).ToHashSet();
        var failures = active
            .Where(c => !(c.Level == Level.Baseline && overridden.Contains(c.Id)))
            .OrderBy(c => c.Level).ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Impl!.Check(meta, spec))
            .OfType<CheckResult>()
            .ToList();
        return new PodSecurityResult(failures);
    }
}
