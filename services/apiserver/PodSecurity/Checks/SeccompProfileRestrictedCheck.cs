using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Restricted from 1.19 (in place of the baseline seccomp check): the pod or every container sets seccompProfile RuntimeDefault or Localhost.</summary>
internal static class SeccompProfileRestrictedCheck
{
    public static PodCheck Definition { get; } = new("seccompProfile_restricted", Level.Restricted, [new(19, V1_19, SeccompProfileBaselineCheck.Id)]);

    private static CheckResult? V1_19(ObjectMeta? meta, PodSpec spec)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var podSet = false;
        if (spec.SecurityContext?.SeccompProfile is { } pod)
        {
            if (SeccompProfileBaselineCheck.ValidType(pod.Type)) podSet = true;
            else { setters.Add("pod"); values.Add(pod.Type ?? ""); }
        }
        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            if (c.SecurityContext?.SeccompProfile is { } p)
            {
                if (SeccompProfileBaselineCheck.ValidType(p.Type)) continue;
                explicitlyBad.Add(c.Name!);
                values.Add(p.Type ?? "");
            }
            else if (!podSet)
            {
                implicitlyBad.Add(c.Name!);
            }
        }
        if (explicitlyBad.Count > 0) setters.Add(CheckText.Containers(explicitlyBad));
        if (setters.Count > 0)
            return new CheckResult("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {CheckText.JoinQuote(CheckText.Sorted(values))}");
        return implicitlyBad.Count == 0 ? null : new CheckResult("seccompProfile",
            $"pod or {CheckText.Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }
}
