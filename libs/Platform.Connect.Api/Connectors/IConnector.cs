using Platform.Connect.Api.Config;

namespace Platform.Connect.Api.Connectors;

/// <summary>
/// A connector: validates and holds a configuration and splits the work into task configurations. Implement
/// <see cref="ISourceConnector"/> or <see cref="ISinkConnector"/>, with a public parameterless constructor.
/// </summary>
public interface IConnector
{
    string Version { get; }
    /// <summary>The connector's own settings (the worker adds the common ones: name, tasks.max, converters ...).</summary>
    ConfigDef Config { get; }
    /// <summary>The task type the worker instantiates for each configuration from <see cref="TaskConfigs"/>.</summary>
    Type TaskType { get; }
    /// <summary>Errors that span settings (one key needed because of another), reported on the key named.</summary>
    IReadOnlyList<(string Key, string Error)> Validate(IReadOnlyDictionary<string, string> props) => [];
    void Start(IReadOnlyDictionary<string, string> props);
    /// <summary>At most <paramref name="maxTasks"/> task configurations.</summary>
    IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks);
    void Stop();
}

/// <summary>A connector that imports data into Kafka.</summary>
public interface ISourceConnector : IConnector;

/// <summary>A connector that exports data from Kafka.</summary>
public interface ISinkConnector : IConnector;
