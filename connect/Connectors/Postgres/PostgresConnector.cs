using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Change data capture from PostgreSQL over logical replication (pgoutput), in the manner of Debezium's
/// PostgresConnector: a snapshot of the captured tables, then every committed insert, update and delete as Debezium's
/// change-event envelope on <c>&lt;topic.prefix&gt;.&lt;schema&gt;.&lt;table&gt;</c>. One task, as Debezium's.
/// </summary>
[Plugin("io.debezium.connector.postgresql.PostgresConnector")]
public sealed class PostgresConnector : ISourceConnector
{
    private Dictionary<string, string> _props = [];

    public string Version => "2.7.0.Final";
    public Type TaskType => typeof(PostgresConnectorTask);
    public ConfigDef Config { get; } = PostgresCdcConfig.Define();

    public IReadOnlyList<(string Key, string Error)> Validate(IReadOnlyDictionary<string, string> props) => [.. PostgresCdcConfig.CrossChecks(props)];

    public void Start(IReadOnlyDictionary<string, string> props)
    {
        var errors = Config.Validate(props).SelectMany(e => e.Value).Concat(PostgresCdcConfig.CrossChecks(props).Select(e => e.Error)).ToList();
        if (errors.Count > 0) throw new ConnectConfigException(PostgresCdcConfig.Hostname, string.Join("; ", errors));
        _props = new Dictionary<string, string>(props);
    }

    /// <summary>One task whatever <c>tasks.max</c> says: a replication slot has one reader.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) => [new Dictionary<string, string>(_props)];

    public void Stop() { }
}
