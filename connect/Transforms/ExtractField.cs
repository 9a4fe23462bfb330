using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's ExtractField: replaces the key or value with one of its fields.</summary>
public abstract class ExtractField(bool key) : ITransformation
{
    private string _field = "";

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("field", ConfigType.String, Importance.Medium, "Field name to extract.");

    public void Configure(IReadOnlyDictionary<string, string> props) => _field = RecordPart.Require(props, "field", "ExtractField");

    public ConnectRecord? Apply(ConnectRecord record)
    {
        var (schema, value) = RecordPart.Get(record, key);
        var (fieldSchema, fieldValue) = RecordPart.Field(schema, value, _field, "ExtractField");
        return RecordPart.With(record, key, fieldSchema, fieldValue);
    }

    [Plugin("org.apache.kafka.connect.transforms.ExtractField$Key")]
    public sealed class Key() : ExtractField(true);

    [Plugin("org.apache.kafka.connect.transforms.ExtractField$Value")]
    public sealed class Value() : ExtractField(false);
}
