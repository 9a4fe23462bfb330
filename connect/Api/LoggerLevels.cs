namespace Platform.Connect.Api;

/// <summary>
/// Log levels changed at run time through <c>/admin/loggers</c> (Kafka Connect's Loggers): a level set on a name applies
/// to every category under it, the longest matching name wins, <c>root</c> is the fallback.
/// </summary>
internal sealed class LoggerLevels(LogLevel root)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (LogLevel Level, long? LastModified)> _levels = new(StringComparer.Ordinal) { ["root"] = (root, null) };

    public bool IsEnabled(string? category, LogLevel level) => level != LogLevel.None && level >= LevelOf(category ?? "");

    public LogLevel LevelOf(string category)
    {
        lock (_lock)
        {
            var best = _levels["root"].Level;
            var bestLength = -1;
            foreach (var (name, entry) in _levels)
                if (name != "root" && name.Length > bestLength && (category == name || category.StartsWith(name + ".", StringComparison.Ordinal)))
                    (best, bestLength) = (entry.Level, name.Length);
            return best;
        }
    }

    public IReadOnlyDictionary<string, (LogLevel Level, long? LastModified)> All()
    {
        lock (_lock) return new Dictionary<string, (LogLevel, long?)>(_levels);
    }

    /// <summary>Sets <paramref name="name"/> and every more specific name under it; returns the names changed.</summary>
    public IReadOnlyList<string> Set(string name, LogLevel level, long now)
    {
        lock (_lock)
        {
            var changed = _levels.Keys.Where(k => name == "root" ? true : k == name || k.StartsWith(name + ".", StringComparison.Ordinal)).ToList();
            if (!changed.Contains(name)) changed.Add(name);
            foreach (var k in changed) _levels[k] = (level, now);
            return [.. changed.Order(StringComparer.Ordinal)];
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "OFF",
    };

    public static LogLevel? Parse(string? level) => level?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Critical,
        "OFF" => LogLevel.None,
        _ => null,
    };
}
