namespace Platform.Scheduler.Framework;

/// <summary>kube-scheduler's DefaultNormalizeScore: scale so the largest raw score becomes 100 (or the smallest, when reversed).</summary>
internal static class ScoreNormalizer
{
    public static void Default(Span<long> scores, bool reverse)
    {
        long max = 0;
        foreach (var s in scores) max = Math.Max(max, s);
        if (max == 0)
        {
            if (reverse) scores.Fill(IScorePlugin.MaxNodeScore);
            return;
        }
        for (var i = 0; i < scores.Length; i++)
        {
            var v = IScorePlugin.MaxNodeScore * scores[i] / max;
            scores[i] = reverse ? IScorePlugin.MaxNodeScore - v : v;
        }
    }

    /// <summary>Min-max scaling into 0..100 for scores that may be negative (inter-pod affinity).</summary>
    public static void MinMax(Span<long> scores)
    {
        if (scores.Length == 0) return;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var s in scores) { min = Math.Min(min, s); max = Math.Max(max, s); }
        var diff = max - min;
        for (var i = 0; i < scores.Length; i++)
            scores[i] = diff == 0 ? 0 : IScorePlugin.MaxNodeScore * (scores[i] - min) / diff;
    }
}
