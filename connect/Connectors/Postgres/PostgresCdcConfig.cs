using System.Text.RegularExpressions;
using Npgsql;
using Platform.Connect.Api.Config;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>The PostgreSQL CDC connector's settings, with Debezium's PostgresConnector names.</summary>
internal static class PostgresCdcConfig
{
    public const string Hostname = "database.hostname";
    public const string Port = "database.port";
    public const string User = "database.user";
    public const string Password = "database.password";
    public const string DbName = "database.dbname";
    public const string TopicPrefix = "topic.prefix";
    public const string TableIncludeList = "table.include.list";
    public const string SlotName = "slot.name";
    public const string PublicationName = "publication.name";
    public const string PublicationAutocreateMode = "publication.autocreate.mode";
    public const string PluginName = "plugin.name";
    public const string SnapshotMode = "snapshot.mode";
    public const string DecimalHandlingMode = "decimal.handling.mode";
    public const string TombstonesOnDelete = "tombstones.on.delete";
    public const string MaxBatchSize = "max.batch.size";
    public const string MaxQueueSize = "max.queue.size";
    public const string PollInterval = "poll.interval.ms";
    public const string SlotMaxRetries = "slot.max.retries";
    public const string SlotRetryDelay = "slot.retry.delay.ms";

    public static readonly string[] SnapshotModes = ["initial", "never", "no_data"];
    public static readonly string[] AutocreateModes = ["all_tables", "filtered", "disabled"];
    public static readonly string[] DecimalModes = ["double", "string"];

    public static ConfigDef Define() => new ConfigDef()
        .DefineRequired(Hostname, ConfigType.String, Importance.High, "Resolvable hostname or IP address of the database server.", group: "Postgres")
        .Define(Port, ConfigType.Int, "5432", Importance.High, "Port of the database server.", v => InRange(v, 1, 65535), "Postgres")
        .DefineRequired(User, ConfigType.String, Importance.High, "Name of the database user (needs the REPLICATION attribute).", group: "Postgres")
        .Define(Password, ConfigType.Password, null, Importance.High, "Password of the database user.", group: "Postgres")
        .DefineRequired(DbName, ConfigType.String, Importance.High, "The name of the database from which the connector should capture changes.", group: "Postgres")
        .DefineRequired(TopicPrefix, ConfigType.String, Importance.High,
            "Topic prefix that identifies and provides a namespace for the database server; topics are <topic.prefix>.<schema>.<table>.",
            v => Regex.IsMatch(v, "^[a-zA-Z0-9._-]+$") ? null : "Topic prefix can only contain alphanumeric characters, '.', '_' and '-'.", "Postgres")
        .Define(TableIncludeList, ConfigType.List, "", Importance.High,
            "Comma-separated regular expressions matching the fully-qualified names (schema.table) of the tables to capture; all tables when empty.",
            RegexList, "Filters")
        .Define(SlotName, ConfigType.String, "debezium", Importance.Medium, "The name of the logical replication slot, created when missing.",
            v => Regex.IsMatch(v, "^[a-z0-9_]{1,63}$") ? null : "Valid replication slot name must contain only digits, lowercase characters and underscores with length <= 63",
            "Postgres")
        .Define(PublicationName, ConfigType.String, "dbz_publication", Importance.Medium, "The name of the publication the slot streams, created when missing.",
            v => v.Trim().Length > 0 ? null : "must not be empty", "Postgres")
        .Define(PublicationAutocreateMode, ConfigType.String, "all_tables", Importance.Low,
            "How a missing publication is created: all_tables (FOR ALL TABLES), filtered (the tables of table.include.list) or disabled (it must exist).",
            v => OneOf(v, AutocreateModes), "Postgres", AutocreateModes)
        .Define(PluginName, ConfigType.String, "pgoutput", Importance.Medium, "The logical decoding plugin; only pgoutput is supported.",
            v => v == "pgoutput" ? null : $"The 'plugin.name' value '{v}' is invalid: only pgoutput is supported", "Postgres", ["pgoutput"])
        .Define(SnapshotMode, ConfigType.String, "initial", Importance.Medium,
            "initial: copy the captured tables (op 'r') when no offset exists, then stream; never (or no_data): stream only.",
            v => OneOf(v, SnapshotModes), "Connector", SnapshotModes)
        .Define(DecimalHandlingMode, ConfigType.String, "double", Importance.Medium,
            "How numeric columns travel: double or string (Debezium's precise Decimal is not implemented).", v => OneOf(v, DecimalModes), "Connector", DecimalModes)
        .Define(TombstonesOnDelete, ConfigType.Boolean, "true", Importance.Medium, "Whether a delete event is followed by a tombstone (null value) for log compaction.", group: "Connector")
        .Define(MaxBatchSize, ConfigType.Int, "2048", Importance.Medium, "Maximum size of each batch of events returned by a poll.", v => InRange(v, 1, int.MaxValue), "Connector")
        .Define(MaxQueueSize, ConfigType.Int, "8192", Importance.Medium, "Maximum number of events read ahead of the worker.", v => InRange(v, 1, int.MaxValue), "Connector")
        .Define(PollInterval, ConfigType.Long, "500", Importance.Medium, "How long a poll waits for new events before returning none.", v => InRange(v, 1, int.MaxValue), "Connector")
        .Define(SlotMaxRetries, ConfigType.Int, "6", Importance.Low, "How many times to retry connecting to a replication slot that is in use.", v => InRange(v, 0, 1000), "Postgres")
        .Define(SlotRetryDelay, ConfigType.Long, "10000", Importance.Low, "Milliseconds between those retries.", v => InRange(v, 0, int.MaxValue), "Postgres");

    /// <summary>The settings that span keys: a filtered publication needs a table list.</summary>
    public static IEnumerable<(string Key, string Error)> CrossChecks(IReadOnlyDictionary<string, string> props)
    {
        if (props.GetValueOrDefault(PublicationAutocreateMode) == "filtered" && string.IsNullOrWhiteSpace(props.GetValueOrDefault(TableIncludeList)))
            yield return (TableIncludeList, $"{PublicationAutocreateMode}=filtered needs {TableIncludeList}");
    }

    public static string ConnectionString(ConnectorSettings s) => new NpgsqlConnectionStringBuilder
    {
        Host = s.GetRequiredString(Hostname),
        Port = s.GetInt(Port),
        Username = s.GetRequiredString(User),
        Password = s.GetString(Password),
        Database = s.GetRequiredString(DbName),
        ApplicationName = "platform-connect-cdc",
        Pooling = false,
    }.ConnectionString;

    public static IReadOnlyList<Regex> Tables(ConnectorSettings s) =>
        [.. s.GetList(TableIncludeList).Select(p => new Regex("^(?:" + p + ")$", RegexOptions.None, TimeSpan.FromSeconds(1)))];

    private static string? OneOf(string v, string[] values) => values.Contains(v) ? null : "String must be one of: " + string.Join(", ", values);

    private static string? InRange(string v, long min, long max) =>
        long.TryParse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null : max == int.MaxValue || max == long.MaxValue ? $"Value must be at least {min}" : $"Value must be between {min} and {max}";

    private static string? RegexList(string v)
    {
        foreach (var pattern in v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                return $"'{pattern}' is not a valid regular expression: {ex.Message}";
            }
        }
        return null;
    }
}
