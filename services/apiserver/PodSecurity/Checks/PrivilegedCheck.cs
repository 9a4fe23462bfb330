using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: privileged containers disable most security mechanisms and are forbidden.</summary>
internal static class PrivilegedCheck
{
    public static PodCheck Definition { get; } = new("privileged", Level.Baseline, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var bad = CheckText.AllContainers(spec).Where(c => c.SecurityContext?.Privileged == true).Select(c => c.Name!).ToList();
        return bad.Count == 0 ? null : new CheckResult("privileged", $"{CheckText.Containers(bad)} must not set securityContext.privileged=true");
    }
}
