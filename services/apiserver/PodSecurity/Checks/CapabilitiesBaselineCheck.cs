using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: capabilities may be added only from the container runtime's default set (no NET_RAW, no SYS_ADMIN ...).</summary>
internal static class CapabilitiesBaselineCheck
{
    public const string Id = "capabilities_baseline";

    private static readonly HashSet<string> Allowed =
    [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ];

    public static PodCheck Definition { get; } = new(Id, Level.Baseline, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var containers = new List<string>();
        var capabilities = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            var added = (c.SecurityContext?.Capabilities?.Add ?? []).Where(a => !Allowed.Contains(a)).ToList();
            if (added.Count == 0) continue;
            containers.Add(c.Name!);
            capabilities.AddRange(added);
        }
        return containers.Count == 0 ? null : new CheckResult("non-default capabilities",
            $"{CheckText.Containers(containers)} must not include {CheckText.JoinQuote(CheckText.Sorted(capabilities))} in securityContext.capabilities.add");
    }
}
