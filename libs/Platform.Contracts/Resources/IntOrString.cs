using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>A value that is a number or a string, such as a port (<c>8080</c> or <c>http</c>) or <c>maxSurge</c> (<c>1</c> or <c>25%</c>).</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    public int? IntValue { get; }
    public string? StringValue { get; }

    public IntOrString(int value) { IntValue = value; StringValue = null; }
    public IntOrString(string value) { IntValue = null; StringValue = value; }

    public bool IsInt => IntValue.HasValue;

    public static implicit operator IntOrString(int value) => new(value);
    public static implicit operator IntOrString(string value) => new(value);

    /// <summary>Resolves a percentage (<c>25%</c>) against <paramref name="total"/>, rounding up when <paramref name="roundUp"/>.</summary>
    public int Resolve(int total, bool roundUp)
    {
        if (IntValue is { } i) return i;
        var s = StringValue ?? "0";
        if (s.EndsWith('%') && int.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var pct))
        {
            var exact = total * pct / 100.0;
            return roundUp ? (int)Math.Ceiling(exact) : (int)Math.Floor(exact);
        }
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var i) => new IntOrString(i),
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            _ => throw new JsonException("expected an integer or a string"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is { } i) writer.WriteNumberValue(i);
        else writer.WriteStringValue(value.StringValue);
    }
}
