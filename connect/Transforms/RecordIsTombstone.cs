using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's RecordIsTombstone predicate: true for a record whose value is null.</summary>
[Plugin("org.apache.kafka.connect.transforms.predicates.RecordIsTombstone")]
public sealed class RecordIsTombstone : IPredicate
{
    public ConfigDef Config { get; } = new();
    public void Configure(IReadOnlyDictionary<string, string> props) { }
    public bool Test(ConnectRecord record) => record.Value is null;
}
