using System.Text.RegularExpressions;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>Kafka's RegexRouter: renames the topic when the whole name matches <c>regex</c> (<c>$1</c> in <c>replacement</c>).</summary>
[Plugin("org.apache.kafka.connect.transforms.RegexRouter")]
public sealed class RegexRouter : ITransformation
{
    private Regex _regex = new("^$", RegexOptions.None, TimeSpan.FromSeconds(1));
    private string _replacement = "";

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired("regex", ConfigType.String, Importance.High, "Regular expression to use for matching.", IsRegex)
        .DefineRequired("replacement", ConfigType.String, Importance.High, "Replacement string.");

    public void Configure(IReadOnlyDictionary<string, string> props)
    {
        _regex = new Regex("^(?:" + RecordPart.Require(props, "regex", "RegexRouter") + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
        _replacement = props.GetValueOrDefault("replacement") ?? throw new ConnectConfigException("replacement", "RegexRouter: replacement is required");
    }

    public ConnectRecord? Apply(ConnectRecord record) =>
        _regex.IsMatch(record.Topic) ? record with { Topic = _regex.Replace(record.Topic, _replacement) } : record;

    internal static string? IsRegex(string value)
    {
        try
        {
            _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return "Invalid regex: " + ex.Message;
        }
    }
}
