using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>
/// Confluent's JdbcSinkConnector, for PostgreSQL and MariaDB/MySQL: insert, upsert (by the record key's or value's
/// fields) or update rows of <c>table.name.format</c>; creates and widens tables (<c>auto.create</c>,
/// <c>auto.evolve</c>); deletes on tombstones (<c>delete.enabled</c>).
/// </summary>
[Plugin("io.confluent.connect.jdbc.JdbcSinkConnector")]
public sealed class JdbcSinkConnector : ISinkConnector
{
    private Dictionary<string, string> _props = [];

    public string Version => "10.8.0";
    public Type TaskType => typeof(JdbcSinkTask);
    public ConfigDef Config { get; } = JdbcSinkConfig.Sink();

    public IReadOnlyList<(string Key, string Error)> Validate(IReadOnlyDictionary<string, string> props) => [.. JdbcSinkConfig.CrossChecks(props)];

    public void Start(IReadOnlyDictionary<string, string> props)
    {
        var errors = Config.Validate(props).SelectMany(e => e.Value).Concat(JdbcSinkConfig.CrossChecks(props).Select(e => e.Error)).ToList();
        if (errors.Count > 0) throw new ConnectConfigException(JdbcSourceConfig.ConnectionUrl, string.Join("; ", errors));
        _props = new Dictionary<string, string>(props);
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Range(0, maxTasks).Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_props))];

    public void Stop() { }
}
