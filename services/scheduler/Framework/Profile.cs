namespace Platform.Scheduler.Framework;

/// <summary>The enabled plugins at each extension point, in registration order, and the score weights.</summary>
internal sealed class Profile
{
    public required IReadOnlyList<IPreFilterPlugin> PreFilter { get; init; }
    public required IReadOnlyList<IFilterPlugin> Filter { get; init; }
    public required IReadOnlyList<IPostFilterPlugin> PostFilter { get; init; }
    public required IReadOnlyList<IPreScorePlugin> PreScore { get; init; }
    public required IReadOnlyList<(IScorePlugin Plugin, int Weight)> Score { get; init; }
    public required IReadOnlyList<IReservePlugin> Reserve { get; init; }
    public required IReadOnlyList<IBindPlugin> Bind { get; init; }
    public int PercentageOfNodesToScore { get; init; }

    public static Profile Build(IEnumerable<IPlugin> plugins, ProfileOptions options)
    {
        var enabled = plugins.Where(p => !options.Plugins.TryGetValue(p.Name, out var s) || s.Enabled).ToList();
        int Weight(IPlugin p) => options.Plugins.TryGetValue(p.Name, out var s) && s.Weight is { } w ? w : ProfileOptions.DefaultWeight(p.Name);
        return new Profile
        {
            PreFilter = enabled.OfType<IPreFilterPlugin>().ToList(),
            Filter = enabled.OfType<IFilterPlugin>().ToList(),
            PostFilter = enabled.OfType<IPostFilterPlugin>().ToList(),
            PreScore = enabled.OfType<IPreScorePlugin>().ToList(),
            Score = enabled.OfType<IScorePlugin>().Select(p => (p, Weight(p))).Where(x => x.Item2 > 0).ToList(),
            Reserve = enabled.OfType<IReservePlugin>().ToList(),
            Bind = enabled.OfType<IBindPlugin>().ToList(),
            PercentageOfNodesToScore = options.PercentageOfNodesToScore,
        };
    }
}
