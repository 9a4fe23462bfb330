using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>
/// Kafka's Cast: casts fields (<c>spec=id:int64,price:float64</c>) or the whole key or value (<c>spec=string</c>) to
/// int8, int16, int32, int64, float32, float64, boolean or string; struct schemas change with the fields.
/// </summary>
public abstract class Cast(bool key) : ITransformation
{
    internal const string WholeValue = "";
    private Dictionary<string, SchemaType> _casts = [];

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("spec", ConfigType.List, Importance.High,
            "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value.",
            v => CastValues.ParseSpec(v).Error);

    public void Configure(IReadOnlyDictionary<string, string> props)
    {
        var raw = props.GetValueOrDefault("spec") ?? "";
        var (casts, error) = CastValues.ParseSpec(raw);
        _casts = error is null ? casts : throw new ConnectConfigException("spec", $"Invalid value {raw} for configuration spec: {error}");
    }

    public ConnectRecord? Apply(ConnectRecord record)
    {
        var (schema, value) = RecordPart.Get(record, key);
        if (value is null) return record;
        if (_casts.TryGetValue(WholeValue, out var whole))
            return RecordPart.With(record, key, schema is null ? null : new ConnectSchema(whole, schema.Optional), CastValues.To(whole, value));
        switch (value)
        {
            case ConnectStruct s:
                var fields = s.Schema.Fields!.Select(f => _casts.TryGetValue(f.Name, out var t) ? f with { Schema = new ConnectSchema(t, f.Schema.Optional) } : f).ToList();
                var newSchema = s.Schema with { Fields = fields };
                var result = new ConnectStruct(newSchema);
                foreach (var f in s.Schema.Fields!)
                    result[f.Name] = _casts.TryGetValue(f.Name, out var t) ? CastValues.To(t, s[f.Name]) : s[f.Name];
                return RecordPart.With(record, key, newSchema, result);
            case IReadOnlyDictionary<string, object?> map:
                return RecordPart.With(record, key, schema, map.ToDictionary(p => p.Key, p => _casts.TryGetValue(p.Key, out var t) ? CastValues.To(t, p.Value) : p.Value));
            default:
                throw new InvalidOperationException($"Cast: only Struct or Map objects can have fields cast, found {value.GetType().Name}");
        }
    }

    [Plugin("org.apache.kafka.connect.transforms.Cast$Key")]
    public sealed class Key() : Cast(true);

    [Plugin("org.apache.kafka.connect.transforms.Cast$Value")]
    public sealed class Value() : Cast(false);
}
