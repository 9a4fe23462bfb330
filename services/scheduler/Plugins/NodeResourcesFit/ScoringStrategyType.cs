namespace Platform.Scheduler.Plugins.NodeResourcesFit;

public enum ScoringStrategyType
{
    /// <summary>Prefer the emptiest node: spreads load.</summary>
    LeastAllocated,
    /// <summary>Prefer the fullest node that fits: bin packing, frees whole nodes.</summary>
    MostAllocated,
    /// <summary>A piecewise-linear function of utilization given by <see cref="NodeResourcesFitArgs.Shape"/>.</summary>
    RequestedToCapacityRatio,
}
