namespace Platform.Scheduler.Framework;

/// <summary>The enabled plugins at each extension point, in registry order, and the score weights.</summary>
internal sealed class Profile
{
    public required IReadOnlyList<IPreFilterPlugin> PreFilter { get; init; }
    public required IReadOnlyList<IFilterPlugin> Filter { get; init; }
    public required IReadOnlyList<IPostFilterPlugin> PostFilter { get; init; }
    public required IReadOnlyList<IPreScorePlugin> PreScore { get; init; }
    public required IReadOnlyList<(IScorePlugin Plugin, int Weight)> Score { get; init; }
    public required IReadOnlyList<IReservePlugin> Reserve { get; init; }
    public required IReadOnlyList<IPreBindPlugin> PreBind { get; init; }
    public required IReadOnlyList<IBindPlugin> Bind { get; init; }
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Makes the plugins <paramref name="options"/> leave enabled (all, unless disabled by name) and places each at its extension points.</summary>
    public static Profile Build(PluginRegistry registry, ProfileOptions options, IServiceProvider services)
    {
        var enabled = registry.Plugins
            .Where(r => !options.Plugins.TryGetValue(r.Name, out var s) || s.Enabled)
            .Select(r => (Registration: r, Plugin: r.Create(services)))
            .ToList();
        List<T> At<T>(ExtensionPoints point) => enabled.Where(p => p.Registration.ExtensionPoints.HasFlag(point)).Select(p => (T)p.Plugin).ToList();
        int Weight(PluginRegistration r) => options.Plugins.TryGetValue(r.Name, out var s) && s.Weight is { } w ? w : r.DefaultWeight;
        return new Profile
        {
            PreFilter = At<IPreFilterPlugin>(ExtensionPoints.PreFilter),
            Filter = At<IFilterPlugin>(ExtensionPoints.Filter),
            PostFilter = At<IPostFilterPlugin>(ExtensionPoints.PostFilter),
            PreScore = At<IPreScorePlugin>(ExtensionPoints.PreScore),
            Score = enabled.Where(p => p.Registration.ExtensionPoints.HasFlag(ExtensionPoints.Score))
                .Select(p => ((IScorePlugin)p.Plugin, Weight(p.Registration))).Where(x => x.Item2 > 0).ToList(),
            Reserve = At<IReservePlugin>(ExtensionPoints.Reserve),
            PreBind = At<IPreBindPlugin>(ExtensionPoints.PreBind),
            Bind = At<IBindPlugin>(ExtensionPoints.Bind),
            PercentageOfNodesToScore = options.PercentageOfNodesToScore,
        };
    }
}
