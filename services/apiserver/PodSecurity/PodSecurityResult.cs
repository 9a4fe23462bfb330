using Platform.ApiServer.PodSecurity.Checks;

namespace Platform.ApiServer.PodSecurity;

/// <summary>The failed checks of one evaluation, in Kubernetes' order (baseline checks by id, then restricted ones).</summary>
internal sealed record PodSecurityResult(IReadOnlyList<CheckResult> Failures)
{
    public bool Allowed => Failures.Count == 0;

    /// <summary><c>hostPath volumes, privileged</c>: the reasons only (the summary of existing pods' warnings).</summary>
    public string ForbiddenReason => string.Join(", ", Failures.Select(f => f.Reason));

    /// <summary><c>hostPath volumes (volume "host"), privileged (container "c" must not set ...)</c>.</summary>
    public string ForbiddenDetail => string.Join(", ", Failures.Select(f => f.Detail.Length == 0 ? f.Reason : $"{f.Reason} ({f.Detail})"));
}
