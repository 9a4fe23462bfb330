using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Connectors.File;

/// <summary>Kafka's FileStreamSink: appends each record's value, one per line, to <c>file</c>.</summary>
[Plugin("org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSink")]
public sealed class FileStreamSinkConnector : ISinkConnector
{
    private IReadOnlyDictionary<string, string> _props = new Dictionary<string, string>();

    public string Version => "3.9.0";
    public Type TaskType => typeof(FileStreamSinkTask);

    public ConfigDef Config { get; } = new ConfigDef()
        .DefineRequired(FileStreamSourceConnector.FileConfig, ConfigType.String, Importance.High, "Destination filename.",
            v => string.IsNullOrWhiteSpace(v) ? "String must be non-empty" : null);

    public void Start(IReadOnlyDictionary<string, string> props) => _props = props;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            [FileStreamSourceConnector.FileConfig] = _props[FileStreamSourceConnector.FileConfig],
        })];

    public void Stop() { }
}
