using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Restricted from 1.8: every container sets <c>allowPrivilegeEscalation: false</c>.</summary>
internal static class AllowPrivilegeEscalationCheck
{
    public static PodCheck Definition { get; } = new("allowPrivilegeEscalation", Level.Restricted, [new(8, V1_8)]);

    private static CheckResult? V1_8(ObjectMeta? meta, PodSpec spec)
    {
        var bad = CheckText.AllContainers(spec).Where(c => c.SecurityContext?.AllowPrivilegeEscalation != false).Select(c => c.Name!).ToList();
        return bad.Count == 0 ? null : new CheckResult("allowPrivilegeEscalation != false", $"{CheckText.Containers(bad)} must set securityContext.allowPrivilegeEscalation=false");
    }
}
