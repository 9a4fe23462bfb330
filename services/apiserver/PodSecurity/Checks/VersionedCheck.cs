using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// A check's implementation from policy version 1.<paramref name="MinimumMinor"/> on. A restricted check may replace
/// baseline checks (<paramref name="Overrides"/>) from that version, as restricted volume types replace hostPath volumes.
/// </summary>
internal sealed record VersionedCheck(int MinimumMinor, Func<ObjectMeta?, PodSpec, CheckResult?> Check, params string[] Overrides);
