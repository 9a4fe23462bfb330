using Platform.Connect.Api.Config;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>The Confluent JDBC source connector's settings, with its names.</summary>
internal static class JdbcSourceConfig
{
    public const string ConnectionUrl = "connection.url";
    public const string ConnectionUser = "connection.user";
    public const string ConnectionPassword = "connection.password";
    public const string Mode = "mode";
    public const string IncrementingColumn = "incrementing.column.name";
    public const string TimestampColumn = "timestamp.column.name";
    public const string TableWhitelist = "table.whitelist";
    public const string Query = "query";
    public const string TopicPrefix = "topic.prefix";
    public const string PollInterval = "poll.interval.ms";
    public const string BatchMaxRows = "batch.max.rows";
    public const string TimestampDelay = "timestamp.delay.interval.ms";
    /// <summary>Task setting: the tables one task reads.</summary>
    public const string Tables = "tables";

    public static readonly string[] Modes = ["bulk", "incrementing", "timestamp", "timestamp+incrementing"];

    public static ConfigDef Connection() => new ConfigDef()
        .DefineRequired(ConnectionUrl, ConfigType.String, Importance.High,
            "JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://host:port/db or jdbc:mariadb://host:port/db.", JdbcUrl.Check, "Database")
        .Define(ConnectionUser, ConfigType.String, null, Importance.High, "JDBC connection user.", group: "Database")
        .Define(ConnectionPassword, ConfigType.Password, null, Importance.High, "JDBC connection password.", group: "Database");

    public static ConfigDef Source() => Connection()
        .DefineRequired(Mode, ConfigType.String, Importance.High,
            "The mode for updating a table each time it is polled: bulk, incrementing, timestamp or timestamp+incrementing.",
            v => Modes.Contains(v) ? null : "String must be one of: " + string.Join(", ", Modes), "Mode")
        .Define(IncrementingColumn, ConfigType.String, "", Importance.Medium, "The name of the strictly incrementing column to use to detect new rows.", group: "Mode")
        .Define(TimestampColumn, ConfigType.List, "", Importance.Medium, "The name of the timestamp column to use to detect new or modified rows.", group: "Mode")
        .Define(TableWhitelist, ConfigType.List, "", Importance.Medium, "List of tables to include in copying; all tables when empty and no query is set.", group: "Database")
        .Define(Query, ConfigType.String, "", Importance.Medium, "If specified, the query to perform to select new or updated rows instead of whole tables.", group: "Mode")
        .DefineRequired(TopicPrefix, ConfigType.String, Importance.High,
            "Prefix to prepend to table names to generate the name of the Kafka topic to publish data to, or in the case of a custom query, the full name of the topic.", group: "Connector")
        .Define(PollInterval, ConfigType.Int, "5000", Importance.High, "Frequency in ms to poll for new data in each table.", Positive, "Connector")
        .Define(BatchMaxRows, ConfigType.Int, "100", Importance.Low, "Maximum number of rows to include in a single batch when polling for new data.", Positive, "Connector")
        .Define(TimestampDelay, ConfigType.Long, "0", Importance.High,
            "How long to wait after a row with a certain timestamp appears before we include it in the result.", NotNegative, "Connector");

    /// <summary>The checks that span settings (which columns a mode needs; table list or query, not both).</summary>
    public static IEnumerable<(string Key, string Error)> CrossChecks(IReadOnlyDictionary<string, string> props)
    {
        var mode = props.GetValueOrDefault(Mode, "");
        if (mode.Contains("incrementing", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(props.GetValueOrDefault(IncrementingColumn)))
            yield return (IncrementingColumn, $"Missing required configuration \"{IncrementingColumn}\" for mode {mode}.");
        if (mode.StartsWith("timestamp", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(props.GetValueOrDefault(TimestampColumn)))
            yield return (TimestampColumn, $"Missing required configuration \"{TimestampColumn}\" for mode {mode}.");
        if (!string.IsNullOrWhiteSpace(props.GetValueOrDefault(Query)) && !string.IsNullOrWhiteSpace(props.GetValueOrDefault(TableWhitelist)))
            yield return (Query, "Do not specify table filtering settings (table.whitelist) when using a query.");
    }

    private static string? Positive(string v) => int.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 1 ? "Value must be at least 1" : null;
    private static string? NotNegative(string v) => long.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 0 ? "Value must be at least 0" : null;
}
