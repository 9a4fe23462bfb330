namespace Platform.Connect.Api.Data;

/// <summary>
/// A Kafka Connect schema: a type, optionality, an optional logical name (<c>org.apache.kafka.connect.data.Timestamp</c>)
/// and, for structs, ordered fields; for arrays and maps, the element schemas.
/// </summary>
public sealed record ConnectSchema(
    SchemaType Type,
    bool Optional = false,
    string? Name = null,
    IReadOnlyList<Field>? Fields = null,
    ConnectSchema? ValueSchema = null,
    ConnectSchema? KeySchema = null,
    int? Version = null)
{
    public const string TimestampName = "org.apache.kafka.connect.data.Timestamp";
    public const string DateName = "org.apache.kafka.connect.data.Date";
    public const string DecimalName = "org.apache.kafka.connect.data.Decimal";

    public static readonly ConnectSchema String = new(SchemaType.String);
    public static readonly ConnectSchema OptionalString = new(SchemaType.String, true);
    public static readonly ConnectSchema Int32 = new(SchemaType.Int32);
    public static readonly ConnectSchema Int64 = new(SchemaType.Int64);
    public static readonly ConnectSchema OptionalInt64 = new(SchemaType.Int64, true);
    public static readonly ConnectSchema Bytes = new(SchemaType.Bytes);

    public Field? Field(string name) => Fields?.FirstOrDefault(f => f.Name == name);

    public static ConnectSchema Struct(string? name, params Field[] fields) => new(SchemaType.Struct, false, name, fields);
}

/// <summary>One field of a struct schema.</summary>
public sealed record Field(string Name, int Index, ConnectSchema Schema);
