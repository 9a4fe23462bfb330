namespace Platform.Scheduler.Framework;

/// <summary>Runs once per pod over the feasible nodes before scoring; Skip turns the plugin's Score off for this pod.</summary>
internal interface IPreScorePlugin : IPlugin
{
    Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> feasible, IClusterView cluster);
}
