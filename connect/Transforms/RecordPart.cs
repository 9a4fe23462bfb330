using Platform.Connect.Api.Data;

namespace Platform.Connect.Transforms;

/// <summary>
/// Reads and replaces the key or the value of a record, for the transforms that come as <c>$Key</c> and <c>$Value</c>
/// (Kafka's <c>InsertField$Value</c> ...). Struct values keep a schema; schemaless values are maps.
/// </summary>
internal static class RecordPart
{
    public static (ConnectSchema? Schema, object? Value) Get(ConnectRecord record, bool key) =>
        key ? (record.KeySchema, record.Key) : (record.ValueSchema, record.Value);

    public static ConnectRecord With(ConnectRecord record, bool key, ConnectSchema? schema, object? value) =>
        key ? record with { KeySchema = schema, Key = value } : record with { ValueSchema = schema, Value = value };

    /// <summary>A field of a struct or a map value; throws naming the field when the value has no such field.</summary>
    public static (ConnectSchema? Schema, object? Value) Field(ConnectSchema? schema, object? value, string field, string transform) => value switch
    {
        ConnectStruct s when s.Schema.Field(field) is { } f => (f.Schema, s[field]),
        IReadOnlyDictionary<string, object?> map => (null, map.GetValueOrDefault(field)),
        ConnectStruct => throw new InvalidOperationException($"{transform}: field '{field}' is not in the record's schema"),
        null => (null, null),
        _ => throw new InvalidOperationException($"{transform}: only Struct or Map objects supported, found {value.GetType().Name}"),
    };

    public static string Require(IReadOnlyDictionary<string, string> props, string key, string transform) =>
        props.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : throw new Api.Config.ConnectConfigException(key, $"{transform}: {key} is required");
}
