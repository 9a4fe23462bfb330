using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's Filter: drops every record it is applied to (so, with a predicate, those the predicate selects).</summary>
[Plugin("org.apache.kafka.connect.transforms.Filter")]
public sealed class Filter : ITransformation
{
    public ConfigDef Config { get; } = new();
    public void Configure(IReadOnlyDictionary<string, string> props) { }
    public ConnectRecord? Apply(ConnectRecord record) => null;
}
