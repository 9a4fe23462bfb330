using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// Baseline and restricted: /proc keeps its default masks (<c>procMount</c> unset or <c>Default</c>). From 1.35 baseline
/// relaxes it for pods in a user namespace, which this platform does not run, so both levels check the same.
/// </summary>
internal static class ProcMountCheck
{
    public const string BaselineId = "procMount";

    public static PodCheck Baseline { get; } = new(BaselineId, Level.Baseline, [new(0, V1_0)]);

    public static PodCheck Restricted { get; } = new("procMount_restricted", Level.Restricted, [new(35, V1_0, BaselineId)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var containers = new List<string>();
        var types = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            if (c.SecurityContext?.ProcMount is not { } pm || pm == "Default") continue;
            containers.Add(c.Name!);
            types.Add(pm);
        }
        return containers.Count == 0 ? null : new CheckResult("procMount",
            $"{CheckText.Containers(containers)} must not set securityContext.procMount to {CheckText.JoinQuote(CheckText.Sorted(types))}");
    }
}
