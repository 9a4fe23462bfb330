using System.Data.Common;
using Platform.Connect.Api;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>
/// Confluent's JdbcSourceConnector, for PostgreSQL and MariaDB/MySQL: copies tables (or a query) to topics
/// <c>&lt;topic.prefix&gt;&lt;table&gt;</c> in bulk, incrementing, timestamp or timestamp+incrementing mode; the tables are
/// spread over <c>tasks.max</c> tasks.
/// </summary>
[Plugin("io.confluent.connect.jdbc.JdbcSourceConnector")]
public sealed class JdbcSourceConnector : ISourceConnector
{
    private Dictionary<string, string> _props = [];
    private List<string> _tables = [];

    public string Version => "10.8.0";
    public Type TaskType => typeof(JdbcSourceTask);
    public ConfigDef Config { get; } = JdbcSourceConfig.Source();

    public IReadOnlyList<(string Key, string Error)> Validate(IReadOnlyDictionary<string, string> props) => [.. JdbcSourceConfig.CrossChecks(props)];

    public void Start(IReadOnlyDictionary<string, string> props)
    {
        var errors = Config.Validate(props).SelectMany(e => e.Value).Concat(JdbcSourceConfig.CrossChecks(props).Select(e => e.Error)).ToList();
        if (errors.Count > 0) throw new ConnectConfigException(JdbcSourceConfig.ConnectionUrl, string.Join("; ", errors));
        _props = new Dictionary<string, string>(props);
        if (!string.IsNullOrWhiteSpace(props.GetValueOrDefault(JdbcSourceConfig.Query))) return;
        var whitelist = props.GetValueOrDefault(JdbcSourceConfig.TableWhitelist, "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        _tables = whitelist.Count > 0 ? whitelist : ListTables(props);
    }

    private static List<string> ListTables(IReadOnlyDictionary<string, string> props)
    {
        var dialect = JdbcDialect.For(JdbcUrl.Parse(props[JdbcSourceConfig.ConnectionUrl], props.GetValueOrDefault(JdbcSourceConfig.ConnectionUser),
            props.GetValueOrDefault(JdbcSourceConfig.ConnectionPassword)));
        using DbConnection connection = dialect.CreateConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = dialect.ListTablesSql;
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks)
    {
        if (!string.IsNullOrWhiteSpace(_props.GetValueOrDefault(JdbcSourceConfig.Query))) return [new Dictionary<string, string>(_props)];
        var groups = Math.Min(maxTasks, Math.Max(_tables.Count, 1));
        return [.. Enumerable.Range(0, groups).Select(g => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(_props)
        {
            [JdbcSourceConfig.Tables] = string.Join(",", _tables.Where((_, i) => i % groups == g)),
        })];
    }

    public void Stop() { }
}
