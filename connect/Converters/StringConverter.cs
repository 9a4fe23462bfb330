using System.Text;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Converters;

/// <summary>Kafka Connect's StringConverter: UTF-8 text, optional string schema; other values are written with their text form.</summary>
[Plugin("org.apache.kafka.connect.storage.StringConverter")]
public sealed class StringConverter : IConverter
{
    public ConfigDef Config { get; } = new();

    public void Configure(IReadOnlyDictionary<string, string> props, bool isKey) { }

    public byte[]? FromConnectData(string topic, ConnectSchema? schema, object? value) =>
        value is null ? null : Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");

    public (ConnectSchema? Schema, object? Value) ToConnectData(string topic, byte[]? data) =>
        (ConnectSchema.OptionalString, data is null ? null : Encoding.UTF8.GetString(data));
}
