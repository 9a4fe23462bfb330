using System.Globalization;

namespace Platform.Connect.Api.Config;

/// <summary>Typed reads of a validated configuration map, falling back on the defaults of a <see cref="ConfigDef"/>.</summary>
public sealed class ConnectorSettings(ConfigDef def, IReadOnlyDictionary<string, string> props)
{
    public IReadOnlyDictionary<string, string> Originals => props;

    public string? GetString(string name)
    {
        if (props.TryGetValue(name, out var v)) return v;
        return def.Keys.FirstOrDefault(k => k.Name == name)?.DefaultValue;
    }

    public string GetRequiredString(string name) =>
        GetString(name) ?? throw new ConnectConfigException(name, $"Missing required configuration \"{name}\" which has no default value.");

    public int GetInt(string name) => int.Parse(GetRequiredString(name).Trim(), CultureInfo.InvariantCulture);
    public long GetLong(string name) => long.Parse(GetRequiredString(name).Trim(), CultureInfo.InvariantCulture);
    public bool GetBool(string name) => bool.Parse(GetRequiredString(name).Trim());

    /// <summary>A comma-separated list, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> GetList(string name) =>
        (GetString(name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A configuration value that cannot be used, naming the key.</summary>
public sealed class ConnectConfigException(string name, string message) : Exception(message)
{
    public string Name { get; } = name;
}
