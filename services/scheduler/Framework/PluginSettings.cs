namespace Platform.Scheduler.Framework;

/// <summary><c>Scheduler:Profile:Plugins:{Name}</c>: whether the plugin runs and the weight of its score.</summary>
public sealed class PluginSettings
{
    public bool Enabled { get; set; } = true;
    /// <summary>Null: the plugin's default weight in the registry (kube-scheduler's).</summary>
    public int? Weight { get; set; }
}
