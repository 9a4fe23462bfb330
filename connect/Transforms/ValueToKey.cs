using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's ValueToKey: the key becomes a struct (or map) of the listed value fields.</summary>
[Plugin("org.apache.kafka.connect.transforms.ValueToKey")]
public sealed class ValueToKey : ITransformation
{
    private string[] _fields = [];

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("fields", ConfigType.List, Importance.High, "Field names on the record value to extract as the record key.",
            v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0 ? "Empty list" : null);

    public void Configure(IReadOnlyDictionary<string, string> props) =>
        _fields = RecordPart.Require(props, "fields", "ValueToKey").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public ConnectRecord? Apply(ConnectRecord record)
    {
        if (record.Value is ConnectStruct s)
        {
            var fields = _fields.Select((f, i) => new Field(f, i,
                s.Schema.Field(f)?.Schema ?? throw new InvalidOperationException($"ValueToKey: field '{f}' is not in the value's schema"))).ToArray();
            var keySchema = ConnectSchema.Struct(null, fields);
            var key = new ConnectStruct(keySchema);
            foreach (var f in _fields) key[f] = s[f];
            return record with { KeySchema = keySchema, Key = key };
        }
        if (record.Value is IReadOnlyDictionary<string, object?> map)
            return record with { KeySchema = null, Key = _fields.ToDictionary(f => f, map.GetValueOrDefault) };
        throw new InvalidOperationException($"ValueToKey: only Struct or Map values supported, found {record.Value?.GetType().Name ?? "null"}");
    }
}
