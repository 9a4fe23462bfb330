using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Api.Transforms;

/// <summary>A single message transform: returns a changed record, or null to drop it.</summary>
public interface ITransformation
{
    ConfigDef Config { get; }
    void Configure(IReadOnlyDictionary<string, string> props);
    ConnectRecord? Apply(ConnectRecord record);
}

/// <summary>A condition on a record, used by <c>transforms.X.predicate</c> (and <c>negate</c>).</summary>
public interface IPredicate
{
    ConfigDef Config { get; }
    void Configure(IReadOnlyDictionary<string, string> props);
    bool Test(ConnectRecord record);
}

/// <summary>Turns connect data into bytes for Kafka and back (<c>key.converter</c>, <c>value.converter</c>).</summary>
public interface IConverter
{
    ConfigDef Config { get; }
    void Configure(IReadOnlyDictionary<string, string> props, bool isKey);
    byte[]? FromConnectData(string topic, ConnectSchema? schema, object? value);
    (ConnectSchema? Schema, object? Value) ToConnectData(string topic, byte[]? data);
}
