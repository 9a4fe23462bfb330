using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Converters;

/// <summary>Kafka Connect's ByteArrayConverter: bytes passed through unchanged.</summary>
[Plugin("org.apache.kafka.connect.converters.ByteArrayConverter")]
public sealed class ByteArrayConverter : IConverter
{
    public ConfigDef Config { get; } = new();

    public void Configure(IReadOnlyDictionary<string, string> props, bool isKey) { }

    public byte[]? FromConnectData(string topic, ConnectSchema? schema, object? value) => value switch
    {
        null => null,
        byte[] b => b,
        _ => throw new FormatException($"ByteArrayConverter is not compatible with objects of type {value.GetType().Name}"),
    };

    public (ConnectSchema? Schema, object? Value) ToConnectData(string topic, byte[]? data) => (new ConnectSchema(SchemaType.Bytes, true), data);
}
