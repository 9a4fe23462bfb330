namespace Platform.Scheduler.Framework;

/// <summary>
/// Ranks a feasible node. <see cref="NormalizeScore"/> then maps the raw scores of all feasible nodes into
/// 0..<see cref="MaxNodeScore"/>; the profile's weight multiplies the result.
/// </summary>
internal interface IScorePlugin : IPlugin
{
    const long MaxNodeScore = 100;

    long Score(CycleState state, PodInfo pod, NodeInfo node);

    /// <summary>Scores already in 0..100 need nothing; plugins with raw counts override this.</summary>
    void NormalizeScore(CycleState state, PodInfo pod, Span<long> scores) { }
}
