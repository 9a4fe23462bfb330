namespace Platform.Scheduler.Framework;

/// <summary><c>Scheduler:Profile:Plugins:{Name}</c>: whether the plugin runs and the weight of its score.</summary>
public sealed class PluginSettings
{
    public bool Enabled { get; set; } = true;
    /// <summary>Null: the kube-scheduler default (TaintToleration 3, NodeAffinity, PodTopologySpread and InterPodAffinity 2, others 1).</summary>
    public int? Weight { get; set; }
}
