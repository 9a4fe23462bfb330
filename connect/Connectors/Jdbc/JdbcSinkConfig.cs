using Platform.Connect.Api.Config;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>The Confluent JDBC sink connector's settings, with its names.</summary>
internal static class JdbcSinkConfig
{
    public const string InsertMode = "insert.mode";
    public const string PkMode = "pk.mode";
    public const string PkFields = "pk.fields";
    public const string TableNameFormat = "table.name.format";
    public const string AutoCreate = "auto.create";
    public const string AutoEvolve = "auto.evolve";
    public const string DeleteEnabled = "delete.enabled";
    public const string BatchSize = "batch.size";

    public static ConfigDef Sink() => JdbcSourceConfig.Connection()
        .Define(InsertMode, ConfigType.String, "insert", Importance.High, "The insertion mode to use: insert, upsert or update.",
            v => v is "insert" or "upsert" or "update" ? null : "String must be one of: insert, upsert, update", "Writes", ["insert", "upsert", "update"])
        .Define(PkMode, ConfigType.String, "none", Importance.High, "The primary key mode: none, kafka, record_key or record_value.",
            v => v is "none" or "kafka" or "record_key" or "record_value" ? null : "String must be one of: none, kafka, record_key, record_value", "Data Mapping",
            ["none", "kafka", "record_key", "record_value"])
        .Define(PkFields, ConfigType.List, "", Importance.Medium, "List of comma-separated primary key field names.", group: "Data Mapping")
        .Define(TableNameFormat, ConfigType.String, "${topic}", Importance.Medium,
            "A format string for the destination table name, which may contain '${topic}' as a placeholder for the originating topic name.", group: "Data Mapping")
        .Define(AutoCreate, ConfigType.Boolean, "false", Importance.Medium, "Whether to automatically create the destination table based on record schema.", group: "DDL Support")
        .Define(AutoEvolve, ConfigType.Boolean, "false", Importance.Medium, "Whether to automatically add columns in the table schema when found to be missing relative to the record schema.", group: "DDL Support")
        .Define(DeleteEnabled, ConfigType.Boolean, "false", Importance.Medium, "Whether to treat null record values as deletes. Requires pk.mode to be record_key.", group: "Writes")
        .Define(BatchSize, ConfigType.Int, "3000", Importance.Medium, "Specifies how many records to attempt to batch together for insertion into the destination table.",
            v => int.Parse(v.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 1 ? "Value must be at least 1" : null, "Writes");

    public static IEnumerable<(string Key, string Error)> CrossChecks(IReadOnlyDictionary<string, string> props)
    {
        var pk = props.GetValueOrDefault(PkMode, "none");
        if (props.GetValueOrDefault(DeleteEnabled) == "true" && pk != "record_key")
            yield return (DeleteEnabled, "Primary key mode must be 'record_key' when delete support is enabled");
        if (props.GetValueOrDefault(InsertMode, "insert") is "upsert" or "update" && pk == "none")
            yield return (PkMode, $"Primary key mode must not be 'none' with insert.mode={props[InsertMode]}");
        if (pk == "record_value" && string.IsNullOrWhiteSpace(props.GetValueOrDefault(PkFields)))
            yield return (PkFields, "Need at least one primary key field with pk.mode=record_value");
    }
}
