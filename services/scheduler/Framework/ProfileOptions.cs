namespace Platform.Scheduler.Framework;

/// <summary><c>Scheduler:Profile</c>: which plugins run, their score weights and how many nodes a cycle looks at.</summary>
public sealed class ProfileOptions
{
    public Dictionary<string, PluginSettings> Plugins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Stop filtering once this percentage of the nodes was found feasible (at least 100 nodes). 0 = adaptive as in
    /// kube-scheduler: 50% minus 1% per 125 nodes, never below 5%. 100 = always look at every node.
    /// </summary>
    public int PercentageOfNodesToScore { get; set; }
}
