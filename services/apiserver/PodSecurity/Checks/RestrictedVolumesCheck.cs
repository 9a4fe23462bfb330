using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>
/// Restricted (in place of the hostPath check): only the inline volume types Kubernetes allows (configMap, csi,
/// downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret). Of this platform's types that
/// leaves out hostPath.
/// </summary>
internal static class RestrictedVolumesCheck
{
    public static PodCheck Definition { get; } = new("restrictedVolumes", Level.Restricted, [new(0, V1_0, HostPathVolumesCheck.Id)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var volumes = new List<string>();
        var types = new List<string>();
        foreach (var v in spec.Volumes ?? [])
        {
            if (v is null || v.ConfigMap is not null || v.EmptyDir is not null || v.Secret is not null) continue;
            volumes.Add(v.Name!);
            types.Add(v.HostPath is not null ? "hostPath" : "unknown");
        }
        if (volumes.Count == 0) return null;
        var sorted = CheckText.Sorted(types);
        return new CheckResult("restricted volume types",
            $"{CheckText.Pluralize("volume", "volumes", volumes.Count)} {CheckText.JoinQuote(volumes)} {CheckText.Pluralize("uses", "use", volumes.Count)} " +
            $"{CheckText.Pluralize("restricted volume type", "restricted volume types", sorted.Count)} {CheckText.JoinQuote(sorted)}");
    }
}
