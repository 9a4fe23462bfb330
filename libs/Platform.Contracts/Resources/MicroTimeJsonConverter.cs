using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' <c>MicroTime</c>: RFC 3339 in UTC with exactly six fractional digits (<c>2026-11-24T23:07:26.123456Z</c>).
/// Any RFC 3339 timestamp is accepted on input; what is written is truncated to the microsecond.
/// </summary>
public sealed class MicroTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A bare JsonException makes System.Text.Json report the path and the expected type ("DateTimeOffset").
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value)) throw new JsonException();
        return Truncate(value.ToUniversalTime());
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));

    /// <summary>The instant as a MicroTime can carry it (ticks below the microsecond dropped).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % 10), value.Offset);
}
