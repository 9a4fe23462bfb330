using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: hostPath volumes are forbidden.</summary>
internal static class HostPathVolumesCheck
{
    public const string Id = "hostPathVolumes";

    public static PodCheck Definition { get; } = new(Id, Level.Baseline, [new(0, V1_0)]);

    private static CheckResult? V1_0(ObjectMeta? meta, PodSpec spec)
    {
        var bad = (spec.Volumes ?? []).Where(v => v?.HostPath is not null).Select(v => v.Name!).ToList();
        return bad.Count == 0 ? null : new CheckResult("hostPath volumes", $"{CheckText.Pluralize("volume", "volumes", bad.Count)} {CheckText.JoinQuote(bad)}");
    }
}
