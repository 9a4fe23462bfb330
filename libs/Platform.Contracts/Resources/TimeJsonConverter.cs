using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' <c>Time</c> (<c>metav1.Time</c>): RFC 3339 in UTC to the second (<c>2026-12-04T09:31:12Z</c>), the form
/// kubectl and the client libraries parse. Any RFC 3339 timestamp is accepted on input and kept in UTC; what is
/// written drops the fraction, as Kubernetes does. Fields that are <c>MicroTime</c> carry
/// <see cref="MicroTimeJsonConverter"/> instead.
/// </summary>
public sealed class TimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A bare JsonException makes System.Text.Json report the path and the expected type ("DateTimeOffset").
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value)) throw new JsonException();
        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));

    /// <summary>The instant as a <c>Time</c> carries it: UTC, whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
