using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>One record as columns: the key columns (by <c>pk.mode</c>) then the value's, each with its schema.</summary>
internal sealed record SinkRow(string Table, IReadOnlyList<(string Name, ConnectSchema Schema, object? Value)> Columns, IReadOnlyList<string> Keys, bool Delete)
{
    public static SinkRow From(SinkRecord record, string table, string pkMode, IReadOnlyList<string> pkFields, bool deleteEnabled)
    {
        var keyColumns = pkMode switch
        {
            "kafka" => [
                ("__connect_topic", ConnectSchema.String, (object?)record.Topic),
                ("__connect_partition", ConnectSchema.Int32, record.KafkaPartition ?? 0),
                ("__connect_offset", ConnectSchema.Int64, record.KafkaOffset)],
            "record_key" => KeyColumns(record, pkFields),
            _ => new List<(string, ConnectSchema, object?)>(),
        };
        if (record.Value is null)
        {
            if (!deleteEnabled) throw new InvalidOperationException($"record {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has a null value and delete.enabled is false");
            return new SinkRow(table, keyColumns, [.. keyColumns.Select(k => k.Item1)], true);
        }
        var valueColumns = Fields(record.ValueSchema, record.Value, "value");
        if (pkMode == "record_value")
            foreach (var f in pkFields)
                if (valueColumns.All(v => v.Item1 != f)) throw new InvalidOperationException($"pk.fields: '{f}' is not a field of the record value");
        var keys = pkMode == "record_value" ? pkFields.ToList() : keyColumns.Select(k => k.Item1).ToList();
        var columns = keyColumns.Concat(valueColumns.Where(v => keyColumns.All(k => k.Item1 != v.Item1))).ToList();
        return new SinkRow(table, columns, keys, false);
    }

    private static List<(string, ConnectSchema, object?)> KeyColumns(SinkRecord record, IReadOnlyList<string> pkFields)
    {
        if (record.Key is null) throw new InvalidOperationException($"pk.mode=record_key, but record {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has no key");
        if (record.Key is ConnectStruct or IReadOnlyDictionary<string, object?>)
        {
            var fields = Fields(record.KeySchema, record.Key, "key");
            return pkFields.Count == 0 ? fields : [.. fields.Where(f => pkFields.Contains(f.Item1))];
        }
        // A primitive key is one column, named by pk.fields (Confluent's default __connect_key otherwise).
        var schema = record.KeySchema ?? JdbcSchemas.Infer(record.Key);
        return [(pkFields.Count > 0 ? pkFields[0] : "__connect_key", schema with { Optional = false }, record.Key)];
    }

    private static List<(string, ConnectSchema, object?)> Fields(ConnectSchema? schema, object value, string what) => value switch
    {
        ConnectStruct s => [.. s.Schema.Fields!.Select(f => (f.Name, f.Schema, s[f.Name]))],
        IReadOnlyDictionary<string, object?> map => [.. map.Select(p => (p.Key, JdbcSchemas.Infer(p.Value), p.Value))],
        _ => throw new InvalidOperationException($"the record {what} must be a struct or a map to be written as a row (schema {schema?.Type.ToString() ?? "none"})"),
    };
}
