namespace Platform.Connect.Api.Data;

/// <summary>A struct value: one value per field of its <see cref="Schema"/>.</summary>
public sealed class ConnectStruct
{
    private readonly object?[] _values;

    public ConnectStruct(ConnectSchema schema)
    {
        if (schema.Type != SchemaType.Struct) throw new ArgumentException("a struct needs a struct schema", nameof(schema));
        Schema = schema;
        _values = new object?[schema.Fields!.Count];
    }

    public ConnectSchema Schema { get; }

    public object? this[string field]
    {
        get => _values[Index(field)];
        set => _values[Index(field)] = value;
    }

    public ConnectStruct Put(string field, object? value)
    {
        this[field] = value;
        return this;
    }

    private int Index(string field) =>
        Schema.Field(field)?.Index ?? throw new KeyNotFoundException($"{field} is not a valid field name");
}
