namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>
/// What one autoscaler remembers between syncs, as kube-controller-manager keeps it in memory: past recommendations
/// (for the stabilization windows) and past rescales (for the rate policies). Lost on restart or leader change, as there.
/// </summary>
internal sealed class ScalingHistory
{
    public List<(DateTimeOffset At, int Replicas)> Recommendations { get; } = [];
    public List<(DateTimeOffset At, int Change)> ScaleUps { get; } = [];
    public List<(DateTimeOffset At, int Change)> ScaleDowns { get; } = [];

    /// <summary>Drops what no window or period looks back to any more.</summary>
    public void Trim(DateTimeOffset now, TimeSpan longest)
    {
        Recommendations.RemoveAll(r => r.At < now - longest);
        ScaleUps.RemoveAll(e => e.At < now - longest);
        ScaleDowns.RemoveAll(e => e.At < now - longest);
    }
}
