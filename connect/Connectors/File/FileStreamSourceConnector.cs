using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Connectors.File;

/// <summary>Kafka's FileStreamSource: each new line of <c>file</c> becomes a string record on <c>topic</c>.</summary>
[Plugin("org.apache.kafka.connect.file.FileStreamSourceConnector", "FileStreamSource")]
public sealed class FileStreamSourceConnector : ISourceConnector
{
    public const string FileConfig = "file";
    public const string TopicConfig = "topic";
    public const string BatchSizeConfig = "batch.size";

    private IReadOnlyDictionary<string, string> _props = new Dictionary<string, string>();

    public string Version => "3.9.0";
    public Type TaskType => typeof(FileStreamSourceTask);

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired(FileConfig, ConfigType.String, Importance.High, "Source filename.",
            v => string.IsNullOrWhiteSpace(v) ? "String must be non-empty" : null)
        .DefineRequired(TopicConfig, ConfigType.List, Importance.High, "The topic to publish data to",
            v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 1 ? null : "'topic' in FileStreamSourceConnector configuration requires definition of a single topic")
        .Define(BatchSizeConfig, ConfigType.Int, "2000", Importance.Low, "The maximum number of records the source task can read from the file each time it is polled",
            v => int.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 1 ? "Value must be at least 1" : null);

    public void Start(IReadOnlyDictionary<string, string> props)
    {
        var errors = Config.Validate(props).SelectMany(e => e.Value).ToList();
        if (errors.Count > 0) throw new ConnectConfigException(FileConfig, string.Join("; ", errors));
        _props = props;
    }

    /// <summary>One task: a file has one reader.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
    [
        new Dictionary<string, string>
        {
            [FileConfig] = _props[FileConfig],
            [TopicConfig] = _props[TopicConfig].Trim(),
            [BatchSizeConfig] = _props.GetValueOrDefault(BatchSizeConfig, "2000"),
        },
    ];

    public void Stop() { }
}
