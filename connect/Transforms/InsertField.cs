using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's InsertField: adds a static value, the topic, the partition, the offset (sinks) or the timestamp.</summary>
public abstract class InsertField(bool key) : ITransformation
{
    private readonly Dictionary<string, string> _props = [];

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("topic.field", ConfigType.String, null, Importance.Medium, "Field name for Kafka topic.")
        .Define("partition.field", ConfigType.String, null, Importance.Medium, "Field name for Kafka partition.")
        .Define("offset.field", ConfigType.String, null, Importance.Medium, "Field name for Kafka offset - only applicable to sink connectors.")
        .Define("timestamp.field", ConfigType.String, null, Importance.Medium, "Field name for record timestamp.")
        .Define("static.field", ConfigType.String, null, Importance.Medium, "Field name for static data field.")
        .Define("static.value", ConfigType.String, null, Importance.Medium, "Static field value, if field name configured.");

    public void Configure(IReadOnlyDictionary<string, string> props)
    {
        foreach (var (k, v) in props) _props[k] = v;
        if (_props.ContainsKey("static.field") != _props.ContainsKey("static.value"))
            throw new ConnectConfigException("static.value", "InsertField: static.field and static.value go together");
    }

    public ConnectRecord? Apply(ConnectRecord record)
    {
        var additions = new List<(string Name, ConnectSchema Schema, object? Value)>();
        if (_props.TryGetValue("topic.field", out var t)) additions.Add((t, ConnectSchema.OptionalString, record.Topic));
        if (_props.TryGetValue("partition.field", out var p)) additions.Add((p, new ConnectSchema(SchemaType.Int32, true), record.KafkaPartition));
        if (_props.TryGetValue("offset.field", out var o) && record is SinkRecord sink) additions.Add((o, ConnectSchema.OptionalInt64, sink.KafkaOffset));
        if (_props.TryGetValue("timestamp.field", out var ts))
            additions.Add((ts, new ConnectSchema(SchemaType.Int64, true, ConnectSchema.TimestampName), record.Timestamp?.ToUnixTimeMilliseconds()));
        if (_props.TryGetValue("static.field", out var sf)) additions.Add((sf, ConnectSchema.OptionalString, _props["static.value"]));

        var (schema, value) = RecordPart.Get(record, key);
        switch (value)
        {
            case ConnectStruct s:
                var fields = s.Schema.Fields!.ToList();
                foreach (var (name, fieldSchema, _) in additions) fields.Add(new Field(name, fields.Count, fieldSchema));
                var newSchema = s.Schema with { Fields = fields };
                var result = new ConnectStruct(newSchema);
                foreach (var f in s.Schema.Fields!) result[f.Name] = s[f.Name];
                foreach (var (name, _, v) in additions) result[name] = v;
                return RecordPart.With(record, key, newSchema, result);
            case IReadOnlyDictionary<string, object?> map:
                var copy = new Dictionary<string, object?>(map);
                foreach (var (name, _, v) in additions) copy[name] = v;
                return RecordPart.With(record, key, schema, copy);
            case null:
                return record;
            default:
                throw new InvalidOperationException($"InsertField: only Struct or Map objects supported, found {value.GetType().Name}");
        }
    }

    [Plugin("org.apache.kafka.connect.transforms.InsertField$Key")]
    public sealed class Key() : InsertField(true);

    [Plugin("org.apache.kafka.connect.transforms.InsertField$Value")]
    public sealed class Value() : InsertField(false);
}
