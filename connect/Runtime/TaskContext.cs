using Platform.Connect.Plugins;
using Platform.Connect.Storage;

namespace Platform.Connect.Runtime;

/// <summary>What a running task needs from the worker: its id and configs, plugins, stores, and where to report state.</summary>
internal sealed record TaskContext(
    TaskId Id,
    IReadOnlyDictionary<string, string> ConnectorConfig,
    IReadOnlyDictionary<string, string> TaskConfig,
    PluginDescriptor Connector,
    PluginRegistry Plugins,
    OffsetStore Offsets,
    Platform.EventBus.Kafka.KafkaOptions Kafka,
    TimeSpan OffsetFlushInterval,
    int SessionTimeoutMs,
    Func<string, string?, Task> ReportState,
    ILogger Logger);
