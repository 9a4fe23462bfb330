namespace Platform.Contracts.Resources;

/// <summary>
/// Kubernetes' <c>Time</c> (<c>metav1.Time</c>): RFC 3339 in UTC to the second (<c>2026-12-04T09:31:12Z</c>), the form
/// kubectl and the client libraries parse. What is written drops the fraction, as Kubernetes does. Fields that are
/// <c>MicroTime</c> carry <see cref="MicroTimeJsonConverter"/> instead.
/// </summary>
public sealed class TimeJsonConverter() : UtcTimeJsonConverter(Format)
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";
}
