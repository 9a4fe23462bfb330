namespace Platform.Scheduler.Plugins.NodeResourcesFit;

/// <summary>A point of the RequestedToCapacityRatio curve: utilization 0..100 → score 0..10 (as in kube-scheduler's args).</summary>
public sealed class UtilizationShapePoint
{
    public int Utilization { get; set; }
    public int Score { get; set; }
}
