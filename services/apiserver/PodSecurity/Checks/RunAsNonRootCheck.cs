using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Restricted: containers must run as non-root: <c>runAsNonRoot: true</c> on the pod or on every container, and false nowhere.</summary>
internal static class RunAsNonRootCheck
{
    public static PodCheck Definition { get; } = new("runAsNonRoot", Level.Restricted, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var setters = new List<string>();
        var podNonRoot = false;
        if (spec.SecurityContext?.RunAsNonRoot is { } pod)
        {
            if (pod) podNonRoot = true;
            else setters.Add("pod");
        }
        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            if (c.SecurityContext?.RunAsNonRoot is { } own)
            {
                if (!own) explicitlyBad.Add(c.Name!);
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add(c.Name!);
            }
        }
        if (explicitlyBad.Count > 0) setters.Add(CheckText.Containers(explicitlyBad));
        if (setters.Count > 0) return new CheckResult("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        return implicitlyBad.Count == 0 ? null : new CheckResult("runAsNonRoot != true", $"pod or {CheckText.Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true");
    }
}
