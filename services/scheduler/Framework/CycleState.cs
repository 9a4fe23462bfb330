namespace Platform.Scheduler.Framework;

/// <summary>Per-pod scratch space of one scheduling cycle: what PreFilter/PreScore computed for Filter/Score, and which plugins skip.</summary>
internal sealed class CycleState
{
    private readonly Dictionary<string, object> _data = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipFilter = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipScore = new(StringComparer.Ordinal);

    public void Write(string key, object value) => _data[key] = value;

    public T Read<T>(string key) where T : class =>
        _data.TryGetValue(key, out var v) && v is T t ? t : throw new InvalidOperationException($"cycle state '{key}' missing: PreFilter/PreScore of the plugin did not run");

    public T? TryRead<T>(string key) where T : class => _data.TryGetValue(key, out var v) ? v as T : null;

    public void SkipFilter(string plugin) => _skipFilter.Add(plugin);
    public bool FilterSkipped(string plugin) => _skipFilter.Contains(plugin);
    public void SkipScore(string plugin) => _skipScore.Add(plugin);
    public bool ScoreSkipped(string plugin) => _skipScore.Contains(plugin);
}
