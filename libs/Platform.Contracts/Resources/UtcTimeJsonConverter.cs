using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' timestamps on the wire: any RFC 3339 time is read and kept in UTC (<see cref="Normalize"/> says to what
/// precision); what is written is UTC with <c>Z</c> in <paramref name="format"/>.
/// </summary>
public abstract class UtcTimeJsonConverter(string format) : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A bare JsonException makes System.Text.Json report the path and the expected type ("DateTimeOffset").
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value)) throw new JsonException();
        return Normalize(value.ToUniversalTime());
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>What a value read is kept as; the default keeps it whole.</summary>
    protected virtual DateTimeOffset Normalize(DateTimeOffset utc) => utc;
}
