namespace Platform.Connect.Api.Config;

/// <summary>The settings a plugin accepts (Kafka Connect's ConfigDef), in definition order.</summary>
public sealed class ConfigDef
{
    private readonly List<ConfigKey> _keys = [];

    public IReadOnlyList<ConfigKey> Keys => _keys;

    public ConfigDef Define(ConfigKey key)
    {
        if (_keys.Any(k => k.Name == key.Name)) throw new ArgumentException($"configuration {key.Name} is defined twice", nameof(key));
        _keys.Add(key);
        return this;
    }

    public ConfigDef Define(string name, ConfigType type, string? defaultValue, Importance importance, string documentation,
        Func<string, string?>? validator = null, string? group = null, IReadOnlyList<string>? recommended = null) =>
        Define(new ConfigKey(name, type, defaultValue, false, importance, documentation, group, validator, recommended));

    public ConfigDef DefineRequired(string name, ConfigType type, Importance importance, string documentation,
        Func<string, string?>? validator = null, string? group = null) =>
        Define(new ConfigKey(name, type, null, true, importance, documentation, group, validator));

    /// <summary>Adds every key of <paramref name="other"/> not defined here yet.</summary>
    public ConfigDef Merge(ConfigDef other)
    {
        foreach (var key in other.Keys)
            if (_keys.All(k => k.Name != key.Name)) _keys.Add(key);
        return this;
    }

    /// <summary>Each key's errors for <paramref name="props"/> (empty list: valid).</summary>
    public IReadOnlyDictionary<string, List<string>> Validate(IReadOnlyDictionary<string, string> props)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var key in _keys)
        {
            props.TryGetValue(key.Name, out var raw);
            var error = key.Check(raw ?? key.DefaultValue);
            result[key.Name] = error is null ? [] : [error];
        }
        return result;
    }
}
