using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>
/// Kafka's ReplaceField: keeps only <c>include</c>d fields, drops <c>exclude</c>d ones (exclude wins) and renames by
/// <c>renames</c> (<c>old:new</c> pairs), on a struct or a map key or value; a null passes untouched.
/// </summary>
public abstract class ReplaceField(bool key) : ITransformation
{
    private HashSet<string> _include = [];
    private HashSet<string> _exclude = [];
    private Dictionary<string, string> _renames = [];

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("exclude", ConfigType.List, "", Importance.Medium, "Fields to exclude. This takes precedence over the fields to include.")
        .Define("include", ConfigType.List, "", Importance.Medium, "Fields to include. If specified, only these fields will be used.")
        .Define("renames", ConfigType.List, "", Importance.Medium, "Field rename mappings.", v => ParseRenames(v).Error);

    public void Configure(IReadOnlyDictionary<string, string> props)
    {
        _include = [.. List(props.GetValueOrDefault("include") ?? props.GetValueOrDefault("whitelist"))];
        _exclude = [.. List(props.GetValueOrDefault("exclude") ?? props.GetValueOrDefault("blacklist"))];
        var (renames, error) = ParseRenames(props.GetValueOrDefault("renames") ?? "");
        _renames = error is null ? renames : throw new ConnectConfigException("renames", $"Invalid value {props["renames"]} for configuration renames: {error}");
    }

    public ConnectRecord? Apply(ConnectRecord record)
    {
        var (schema, value) = RecordPart.Get(record, key);
        switch (value)
        {
            case null:
                return record;
            case ConnectStruct s:
                var kept = s.Schema.Fields!.Where(f => Keep(f.Name)).ToList();
                var newSchema = s.Schema with { Fields = [.. kept.Select((f, i) => new Field(Renamed(f.Name), i, f.Schema))] };
                var result = new ConnectStruct(newSchema);
                foreach (var f in kept) result[Renamed(f.Name)] = s[f.Name];
                return RecordPart.With(record, key, newSchema, result);
            case IReadOnlyDictionary<string, object?> map:
                return RecordPart.With(record, key, schema, map.Where(p => Keep(p.Key)).ToDictionary(p => Renamed(p.Key), p => p.Value));
            default:
                throw new InvalidOperationException($"ReplaceField: only Struct or Map objects supported, found {value.GetType().Name}");
        }
    }

    private bool Keep(string field) => !_exclude.Contains(field) && (_include.Count == 0 || _include.Contains(field));

    private string Renamed(string field) => _renames.GetValueOrDefault(field, field);

    private static string[] List(string? value) => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static (Dictionary<string, string> Renames, string? Error) ParseRenames(string value)
    {
        var renames = new Dictionary<string, string>();
        foreach (var mapping in List(value))
        {
            var parts = mapping.Split(':');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0) return (renames, "Invalid rename mapping: " + mapping);
            renames[parts[0].Trim()] = parts[1].Trim();
        }
        return (renames, null);
    }

    [Plugin("org.apache.kafka.connect.transforms.ReplaceField$Key")]
    public sealed class Key() : ReplaceField(true);

    [Plugin("org.apache.kafka.connect.transforms.ReplaceField$Value")]
    public sealed class Value() : ReplaceField(false);
}
