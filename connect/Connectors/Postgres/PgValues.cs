using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// PostgreSQL column types to Connect schemas and values the way Debezium maps them by default (timestamps as
/// <c>io.debezium.time.MicroTimestamp</c>, timestamptz as <c>ZonedTimestamp</c> strings, uuid and json as named strings),
/// parsed from the text form that both pgoutput and the snapshot's <c>::text</c> casts deliver.
/// </summary>
internal static partial class PgValues
{
    public const string MicroTimestamp = "io.debezium.time.MicroTimestamp";
    public const string ZonedTimestamp = "io.debezium.time.ZonedTimestamp";
    public const string DebeziumDate = "io.debezium.time.Date";
    public const string MicroTime = "io.debezium.time.MicroTime";
    public const string Uuid = "io.debezium.data.Uuid";
    public const string Json = "io.debezium.data.Json";
    /// <summary>Debezium's placeholder for an unchanged TOASTed value that the WAL does not carry.</summary>
    public const string Unavailable = "__debezium_unavailable_value";

    private const uint Bool = 16, Bytea = 17, Int8 = 20, Int2 = 21, Int4 = 23, Oid = 26, JsonOid = 114, Float4 = 700, Float8 = 701,
        Date = 1082, Time = 1083, Timestamp = 1114, TimestampTz = 1184, Numeric = 1700, UuidOid = 2950, Jsonb = 3802;

    public static ConnectSchema Schema(uint type, bool optional, bool decimalAsString) => type switch
    {
        Bool => new(SchemaType.Boolean, optional),
        Int2 => new(SchemaType.Int16, optional),
        Int4 => new(SchemaType.Int32, optional),
        Int8 or Oid => new(SchemaType.Int64, optional),
        Float4 => new(SchemaType.Float32, optional),
        Float8 => new(SchemaType.Float64, optional),
        Numeric => decimalAsString ? new(SchemaType.String, optional) : new(SchemaType.Float64, optional),
        Bytea => new(SchemaType.Bytes, optional),
        Date => new(SchemaType.Int32, optional, DebeziumDate, Version: 1),
        Time => new(SchemaType.Int64, optional, MicroTime, Version: 1),
        Timestamp => new(SchemaType.Int64, optional, MicroTimestamp, Version: 1),
        TimestampTz => new(SchemaType.String, optional, ZonedTimestamp, Version: 1),
        UuidOid => new(SchemaType.String, optional, Uuid, Version: 1),
        JsonOid or Jsonb => new(SchemaType.String, optional, Json, Version: 1),
        _ => new(SchemaType.String, optional),
    };

    /// <summary>The Connect value of a column's text form (null stays null).</summary>
    public static object? Parse(uint type, string? text, bool decimalAsString)
    {
        if (text is null) return null;
        var c = CultureInfo.InvariantCulture;
        return type switch
        {
            Bool => text is "t" or "true",
            Int2 => short.Parse(text, c),
            Int4 => int.Parse(text, c),
            Int8 or Oid => long.Parse(text, c),
            Float4 => float.Parse(text, c),
            Float8 => double.Parse(text, c),
            Numeric => decimalAsString ? text : double.Parse(text, c),
            Bytea => text.StartsWith("\\x", StringComparison.Ordinal) ? Convert.FromHexString(text.AsSpan(2)) : System.Text.Encoding.UTF8.GetBytes(text),
            Date => (int)(DateOnly.ParseExact(text, "yyyy-MM-dd", c).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber),
            Time => TimeSpan.Parse(text, c).Ticks / 10,
            Timestamp => (DateTime.Parse(text, c, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) - DateTime.UnixEpoch).Ticks / 10,
            TimestampTz => ParseOffset(text).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", c),
            _ => text,
        };
    }

    // PostgreSQL writes offsets as +00 or +05:30; .NET wants minutes.
    private static DateTimeOffset ParseOffset(string text) =>
        DateTimeOffset.Parse(ShortOffset().IsMatch(text) ? text + ":00" : text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[+-]\d\d$")]
    private static partial Regex ShortOffset();
}
