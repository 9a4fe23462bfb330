namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' <c>MicroTime</c>: RFC 3339 in UTC with exactly six fractional digits (<c>2026-11-24T23:07:26.123456Z</c>).
/// Any RFC 3339 timestamp is accepted on input; what is read and written is truncated to the microsecond.
/// </summary>
public sealed class MicroTimeJsonConverter() : UtcTimeJsonConverter(Format)
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>The instant as a MicroTime can carry it (ticks below the microsecond dropped).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % 10), value.Offset);

    protected override DateTimeOffset Normalize(DateTimeOffset utc) => Truncate(utc);
}
