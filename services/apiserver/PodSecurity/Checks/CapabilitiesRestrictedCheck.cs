using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Restricted from 1.22 (in place of the baseline capabilities check): containers drop ALL and may add back only NET_BIND_SERVICE.</summary>
internal static class CapabilitiesRestrictedCheck
{
    public static PodCheck Definition { get; } = new("capabilities_restricted", Level.Restricted, [new(22, V1_22, CapabilitiesBaselineCheck.Id)]);

    private static CheckResult? V1_22(ObjectMeta? meta, PodSpec spec)
    {
        var missingDropAll = new List<string>();
        var adding = new List<string>();
        var forbidden = new List<string>();
        foreach (var c in CheckText.AllContainers(spec))
        {
            if (c.SecurityContext?.Capabilities is not { } caps)
            {
                missingDropAll.Add(c.Name!);
                continue;
            }
            if (caps.Drop?.Contains("ALL") != true) missingDropAll.Add(c.Name!);
            var added = (caps.Add ?? []).Where(a => a != "NET_BIND_SERVICE").ToList();
            if (added.Count == 0) continue;
            adding.Add(c.Name!);
            forbidden.AddRange(added);
        }
        var details = new List<string>();
        if (missingDropAll.Count > 0) details.Add($"{CheckText.Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        if (adding.Count > 0) details.Add($"{CheckText.Containers(adding)} must not include {CheckText.JoinQuote(CheckText.Sorted(forbidden))} in securityContext.capabilities.add");
        return details.Count == 0 ? null : new CheckResult("unrestricted capabilities", string.Join("; ", details));
    }
}
