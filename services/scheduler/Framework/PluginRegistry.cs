namespace Platform.Scheduler.Framework;

/// <summary>
/// The plugins a profile can enable, in the order they run at each extension point (kube-scheduler's registry plus
/// its default weights). The profile is built from it and the options validator knows plugin names from it.
/// </summary>
internal sealed class PluginRegistry
{
    private static readonly (Type Interface, ExtensionPoints Point)[] Points =
    [
        (typeof(IPreFilterPlugin), ExtensionPoints.PreFilter),
        (typeof(IFilterPlugin), ExtensionPoints.Filter),
        (typeof(IPostFilterPlugin), ExtensionPoints.PostFilter),
        (typeof(IPreScorePlugin), ExtensionPoints.PreScore),
        (typeof(IScorePlugin), ExtensionPoints.Score),
        (typeof(IReservePlugin), ExtensionPoints.Reserve),
        (typeof(IPreBindPlugin), ExtensionPoints.PreBind),
        (typeof(IBindPlugin), ExtensionPoints.Bind),
    ];

    private readonly List<PluginRegistration> _plugins = [];

    public IReadOnlyList<PluginRegistration> Plugins => _plugins;

    public IEnumerable<string> Names => _plugins.Select(p => p.Name);

    public bool Contains(string name) => _plugins.Exists(p => p.Name == name);

    /// <summary>
    /// Registers <typeparamref name="TPlugin"/> under <paramref name="name"/>, at the extension points its interfaces
    /// name; <paramref name="create"/> makes it, or without one the container does.
    /// </summary>
    public PluginRegistry Add<TPlugin>(string name, int defaultWeight = 1, Func<IServiceProvider, TPlugin>? create = null)
        where TPlugin : class, IPlugin
    {
        if (Contains(name)) throw new InvalidOperationException($"scheduler plugin {name} is registered twice");
        var points = Points.Where(p => p.Interface.IsAssignableFrom(typeof(TPlugin))).Aggregate(ExtensionPoints.None, (all, p) => all | p.Point);
        _plugins.Add(new PluginRegistration(name, points, defaultWeight,
            create is null ? sp => ActivatorUtilities.CreateInstance<TPlugin>(sp) : sp => create(sp)));
        return this;
    }
}
