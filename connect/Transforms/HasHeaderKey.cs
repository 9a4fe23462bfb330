using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's HasHeaderKey predicate: true when the record has a header named <c>name</c>.</summary>
[Plugin("org.apache.kafka.connect.transforms.predicates.HasHeaderKey")]
public sealed class HasHeaderKey : IPredicate
{
    private string _name = "";

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("name", ConfigType.String, Importance.Medium, "The header name.");

    public void Configure(IReadOnlyDictionary<string, string> props) => _name = RecordPart.Require(props, "name", "HasHeaderKey");

    public bool Test(ConnectRecord record) => record.Headers.ContainsKey(_name);
}
