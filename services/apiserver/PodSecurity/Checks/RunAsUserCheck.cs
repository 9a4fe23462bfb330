using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Restricted from 1.23: neither the pod nor a container sets <c>runAsUser: 0</c>.</summary>
internal static class RunAsUserCheck
{
    public static PodCheck Definition { get; } = new("runAsUser", Level.Restricted, [new(23, V1_23)]);

    private static CheckResult? V1_23(ObjectMeta? meta, PodSpec spec)
    {
        var setters = new List<string>();
        if (spec.SecurityContext?.RunAsUser == 0) setters.Add("pod");
        var containers = CheckText.AllContainers(spec).Where(c => c.SecurityContext?.RunAsUser == 0).Select(c => c.Name!).ToList();
        if (containers.Count > 0) setters.Add(CheckText.Containers(containers));
        return setters.Count == 0 ? null : new CheckResult("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0");
    }
}
