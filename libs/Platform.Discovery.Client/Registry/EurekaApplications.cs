namespace Platform.Discovery.Client.Registry;

/// <summary>A fetched <c>applications</c> document: the instances by application and the registry's hash code.</summary>
public sealed record EurekaApplications(IReadOnlyDictionary<string, IReadOnlyList<EurekaInstance>> Apps, string AppsHashCode)
{
    public static EurekaApplications Empty { get; } = new(new Dictionary<string, IReadOnlyList<EurekaInstance>>(), "");

    /// <summary>Eureka's reconcile hash of these instances (<c>DOWN_1_UP_3_</c>).</summary>
    public string ComputeHashCode() =>
        string.Concat(Apps.Values.SelectMany(i => i).GroupBy(i => i.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}_{g.Count()}_"));

    /// <summary>Applies a delta (ADDED/MODIFIED replace, DELETED removes) and returns the new registry.</summary>
    public EurekaApplications Apply(EurekaApplications delta)
    {
        var apps = Apps.ToDictionary(a => a.Key, a => a.Value.ToDictionary(i => i.InstanceId), StringComparer.OrdinalIgnoreCase);
        foreach (var instance in delta.Apps.Values.SelectMany(i => i))
        {
            if (!apps.TryGetValue(instance.AppName, out var ids)) apps[instance.AppName] = ids = [];
            if (instance.ActionType == "DELETED") ids.Remove(instance.InstanceId);
            else ids[instance.InstanceId] = instance;
        }
        return new EurekaApplications(
            apps.Where(a => a.Value.Count > 0).ToDictionary(a => a.Key, a => (IReadOnlyList<EurekaInstance>)a.Value.Values.ToList(), StringComparer.OrdinalIgnoreCase),
            delta.AppsHashCode);
    }
}
