using System.Globalization;
using System.Text;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;

namespace Platform.Connect.Transforms;

/// <summary>
/// Kafka's TimestampRouter: renames the topic to <c>topic.format</c> with <c>${topic}</c> and <c>${timestamp}</c>, the
/// record's timestamp written in UTC with <c>timestamp.format</c> (Java SimpleDateFormat letters y M d H m s S and
/// quoted literals), e.g. <c>orders-20240102</c> for daily topics.
/// </summary>
[Plugin("org.apache.kafka.connect.transforms.TimestampRouter")]
public sealed class TimestampRouter : ITransformation
{
    private string _topicFormat = "${topic}-${timestamp}";
    private string _dotnetFormat = "yyyyMMdd";

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("topic.format", ConfigType.String, "${topic}-${timestamp}", Importance.High,
            "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.")
        .Define("timestamp.format", ConfigType.String, "yyyyMMdd", Importance.High,
            "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.", v => ToDotnet(v).Error);

    public void Configure(IReadOnlyDictionary<string, string> props)
    {
        _topicFormat = props.GetValueOrDefault("topic.format") ?? _topicFormat;
        var raw = props.GetValueOrDefault("timestamp.format") ?? "yyyyMMdd";
        var (format, error) = ToDotnet(raw);
        _dotnetFormat = error is null ? format : throw new ConnectConfigException("timestamp.format", $"Invalid value {raw} for configuration timestamp.format: {error}");
    }

    public ConnectRecord? Apply(ConnectRecord record)
    {
        var ts = record.Timestamp ?? throw new InvalidOperationException($"Timestamp missing on record: topic {record.Topic}");
        var formatted = ts.UtcDateTime.ToString(_dotnetFormat, CultureInfo.InvariantCulture);
        return record with { Topic = _topicFormat.Replace("${topic}", record.Topic, StringComparison.Ordinal).Replace("${timestamp}", formatted, StringComparison.Ordinal) };
    }

    /// <summary>A SimpleDateFormat pattern as a .NET custom format (letters that mean the same, literals escaped).</summary>
    internal static (string Format, string? Error) ToDotnet(string pattern)
    {
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0) return ("", "Unterminated quote");
                var literal = end == i + 1 ? "'" : pattern[(i + 1)..end];
                foreach (var l in literal) result.Append('\\').Append(l);
                i = end;
            }
            else if (char.IsAsciiLetter(c))
            {
                var run = 1;
                while (i + run < pattern.Length && pattern[i + run] == c) run++;
                var mapped = c switch
                {
                    'y' => run == 2 ? "yy" : "yyyy",
                    'M' or 'd' or 'H' or 'm' or 's' => new string(c, Math.Min(run, 2)),
                    'S' => new string('f', Math.Min(run, 7)),
                    _ => null,
                };
                if (mapped is null) return ("", $"Illegal pattern character '{c}' (supported: y M d H m s S and 'quoted' text)");
                result.Append(mapped);
                i += run - 1;
            }
            else result.Append('\\').Append(c);
        }
        return (result.ToString(), null);
    }
}
