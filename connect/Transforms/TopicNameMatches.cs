using System.Text.RegularExpressions;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's TopicNameMatches predicate: true when the whole topic name matches <c>pattern</c>.</summary>
[Plugin("org.apache.kafka.connect.transforms.predicates.TopicNameMatches")]
public sealed class TopicNameMatches : IPredicate
{
    private Regex _pattern = new("^$", RegexOptions.None, TimeSpan.FromSeconds(1));

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("pattern", ConfigType.String, Importance.Medium, "A Java regular expression for matching against the name of a record's topic.", RegexRouter.IsRegex);

    public void Configure(IReadOnlyDictionary<string, string> props) =>
        _pattern = new Regex("^(?:" + RecordPart.Require(props, "pattern", "TopicNameMatches") + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));

    public bool Test(ConnectRecord record) => _pattern.IsMatch(record.Topic);
}
