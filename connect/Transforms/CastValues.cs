using System.Globalization;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Transforms;

/// <summary>The conversions and the <c>spec</c> syntax of <see cref="Cast"/>, with Kafka's messages.</summary>
internal static class CastValues
{
    private static readonly SchemaType[] Supported =
        [SchemaType.Int8, SchemaType.Int16, SchemaType.Int32, SchemaType.Int64, SchemaType.Float32, SchemaType.Float64, SchemaType.Boolean, SchemaType.String];

    private static readonly string SupportedNames = "[" + string.Join(", ", Supported.Select(t => t.ToString().ToUpperInvariant())) + "]";

    public static (Dictionary<string, SchemaType> Casts, string? Error) ParseSpec(string spec)
    {
        var casts = new Dictionary<string, SchemaType>();
        var mappings = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (mappings.Length == 0) return (casts, "Must specify at least one field to cast.");
        foreach (var mapping in mappings)
        {
            var parts = mapping.Split(':');
            if (parts.Length > 2) return (casts, "Invalid rename mapping: " + mapping);
            var typeName = parts[^1].Trim();
            if (!Enum.TryParse<SchemaType>(typeName, ignoreCase: true, out var type) || int.TryParse(typeName, out _))
                return (casts, "Invalid type found in casting spec: " + typeName);
            if (!Supported.Contains(type))
                return (casts, $"Cast transformation does not support casting to {type.ToString().ToUpperInvariant()}; supported types are {SupportedNames}");
            casts[parts.Length == 1 ? Cast.WholeValue : parts[0].Trim()] = type;
        }
        if (casts.ContainsKey(Cast.WholeValue) && mappings.Length > 1)
            return (casts, "Cast transformations that specify a type to cast to for the entire value do not support also specifying fields to cast.");
        return (casts, null);
    }

    public static object? To(SchemaType type, object? value)
    {
        if (value is null) return null;
        var c = CultureInfo.InvariantCulture;
        if (type == SchemaType.String)
            return value switch
            {
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, c),
                _ => value.ToString(),
            };
        if (value is string s)
        {
            return type switch
            {
                SchemaType.Boolean => bool.Parse(s.Trim()),
                SchemaType.Float32 => float.Parse(s, c),
                SchemaType.Float64 => double.Parse(s, c),
                _ => Number(type, long.Parse(s.Trim(), c)),
            };
        }
        if (value is bool flag) value = flag ? 1L : 0L;
        if (value is not IConvertible number) throw new InvalidOperationException($"Cast: a {value.GetType().Name} cannot be cast to {type.ToString().ToLowerInvariant()}");
        return type switch
        {
            SchemaType.Boolean => number.ToDouble(c) != 0,
            SchemaType.Float32 => number.ToSingle(c),
            SchemaType.Float64 => number.ToDouble(c),
            // Java's narrowing casts: floats truncate toward zero, wider integers wrap.
            _ => Number(type, value is float or double or decimal ? (long)Math.Truncate(number.ToDouble(c)) : number.ToInt64(c)),
        };
    }

    // Each arm boxed on its own: a switch of integer arms would widen them all to long.
    private static object Number(SchemaType type, long value) => type switch
    {
        SchemaType.Int8 => (object)unchecked((sbyte)value),
        SchemaType.Int16 => (object)unchecked((short)value),
        SchemaType.Int32 => (object)unchecked((int)value),
        _ => (object)value,
    };
}
