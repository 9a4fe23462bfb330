using System.Data.Common;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>Column types to Connect schemas and values, and Connect values back to parameters.</summary>
internal static class JdbcSchemas
{
    public static ConnectSchema RowSchema(DbDataReader reader, string name)
    {
        var columns = reader.GetColumnSchema();
        var fields = new List<Field>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var optional = columns.Count > i ? columns[i].AllowDBNull ?? true : true;
            fields.Add(new Field(reader.GetName(i), i, ColumnSchema(reader.GetFieldType(i), optional)));
        }
        return new ConnectSchema(SchemaType.Struct, false, name, fields);
    }

    private static ConnectSchema ColumnSchema(Type type, bool optional) => type switch
    {
        _ when type == typeof(sbyte) => new ConnectSchema(SchemaType.Int8, optional),
        _ when type == typeof(short) || type == typeof(byte) => new ConnectSchema(SchemaType.Int16, optional),
        _ when type == typeof(int) || type == typeof(ushort) => new ConnectSchema(SchemaType.Int32, optional),
        _ when type == typeof(long) || type == typeof(uint) || type == typeof(ulong) => new ConnectSchema(SchemaType.Int64, optional),
        _ when type == typeof(float) => new ConnectSchema(SchemaType.Float32, optional),
        // numeric.mapping=best_fit: decimals travel as doubles (Connect's Decimal logical type is not implemented here).
        _ when type == typeof(double) || type == typeof(decimal) => new ConnectSchema(SchemaType.Float64, optional),
        _ when type == typeof(bool) => new ConnectSchema(SchemaType.Boolean, optional),
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => new ConnectSchema(SchemaType.Int64, optional, ConnectSchema.TimestampName, Version: 1),
        _ when type == typeof(DateOnly) => new ConnectSchema(SchemaType.Int32, optional, ConnectSchema.DateName, Version: 1),
        _ when type == typeof(byte[]) => new ConnectSchema(SchemaType.Bytes, optional),
        _ => new ConnectSchema(SchemaType.String, optional),
    };

    public static object? ReadValue(DbDataReader reader, int i, ConnectSchema schema)
    {
        if (reader.IsDBNull(i)) return null;
        var value = reader.GetValue(i);
        return schema.Type switch
        {
            SchemaType.Int8 => Convert.ToSByte(value, System.Globalization.CultureInfo.InvariantCulture),
            SchemaType.Int16 => Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture),
            SchemaType.Int32 when schema.Name == ConnectSchema.DateName => value is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : value,
            SchemaType.Int32 => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            SchemaType.Int64 when schema.Name == ConnectSchema.TimestampName => value is DateTimeOffset o ? o.UtcDateTime : value,
            SchemaType.Int64 => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            SchemaType.Float64 => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
            SchemaType.String => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    /// <summary>A Connect value as a command parameter: Timestamp values (epoch millis) become naive DateTimes.</summary>
    public static object ToParameter(ConnectSchema? schema, object? value)
    {
        if (value is null) return DBNull.Value;
        if (schema?.Name == ConnectSchema.TimestampName && value is long ms)
            return DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(ms), DateTimeKind.Unspecified);
        if (schema?.Name == ConnectSchema.DateName && value is int days) return DateTime.UnixEpoch.AddDays(days).Date;
        return value switch
        {
            DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Unspecified),
            IReadOnlyDictionary<string, object?> or System.Collections.IList => System.Text.Json.JsonSerializer.Serialize(value),
            _ => value,
        };
    }

    /// <summary>A schema for a schemaless (map) value, from its .NET type.</summary>
    public static ConnectSchema Infer(object? value) => value switch
    {
        long or int => new ConnectSchema(SchemaType.Int64, true),
        double or float => new ConnectSchema(SchemaType.Float64, true),
        bool => new ConnectSchema(SchemaType.Boolean, true),
        byte[] => new ConnectSchema(SchemaType.Bytes, true),
        _ => new ConnectSchema(SchemaType.String, true),
    };
}
