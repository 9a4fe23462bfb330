using System.Globalization;
using System.Text;
using CloudNative.CloudEvents;
using Confluent.Kafka;

namespace Platform.EventBus.CloudEvents;

/// <summary>
/// Maps <see cref="PlatformEvent"/> to and from Kafka messages in the CloudEvents Kafka protocol
/// binding's binary content mode: attributes as <c>ce_*</c> headers, <c>content-type</c> header,
/// data as the raw message value. (The SDK's own Kafka binding package is not available here, so
/// this follows the binding spec directly and uses the SDK's <see cref="CloudEvent"/> to validate.)
/// </summary>
public static class KafkaCloudEventCodec
{
    public const string HeaderPrefix = "ce_";
    public const string ContentTypeHeader = "content-type";
    public const string SpecVersion = "1.0";

    public static Message<string?, byte[]> ToMessage(PlatformEvent e)
    {
        Validate(e);
        var headers = new Headers
        {
            { "ce_specversion", Utf8(SpecVersion) },
            { "ce_id", Utf8(e.Id) },
            { "ce_source", Utf8(e.Source) },
            { "ce_type", Utf8(e.Type) },
            { "ce_time", Utf8(e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)) },
            { ContentTypeHeader, Utf8(e.DataContentType) },
        };
        if (e.Subject is not null) headers.Add("ce_subject", Utf8(e.Subject));
        foreach (var (name, value) in e.Extensions) headers.Add(HeaderPrefix + name, Utf8(value));
        return new Message<string?, byte[]> { Key = e.Key, Value = e.Data.ToArray(), Headers = headers };
    }

    /// <summary>Reads an event from a consumed message; throws <see cref="FormatException"/> when required attributes are missing.</summary>
    public static PlatformEvent FromMessage(Message<string?, byte[]> message)
    {
        string? id = null, source = null, type = null, subject = null, contentType = null, spec = null;
        DateTimeOffset time = default;
        var extensions = new Dictionary<string, string>();
        foreach (var h in message.Headers ?? [])
        {
            var value = Encoding.UTF8.GetString(h.GetValueBytes());
            switch (h.Key)
            {
                case "ce_specversion": spec = value; break;
                case "ce_id": id = value; break;
                case "ce_source": source = value; break;
                case "ce_type": type = value; break;
                case "ce_subject": subject = value; break;
                case "ce_time": time = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                case ContentTypeHeader: contentType = value; break;
                default:
                    if (h.Key.StartsWith(HeaderPrefix, StringComparison.Ordinal)) extensions[h.Key[HeaderPrefix.Length..]] = value;
                    break;
            }
        }
        if (spec != SpecVersion) throw new FormatException($"ce_specversion: expected '{SpecVersion}', got '{spec ?? "(missing)"}'");
        return new PlatformEvent
        {
            Id = id ?? throw new FormatException("ce_id: required header missing"),
            Source = source ?? throw new FormatException("ce_source: required header missing"),
            Type = type ?? throw new FormatException("ce_type: required header missing"),
            Subject = subject,
            Time = time,
            DataContentType = contentType ?? "application/json",
            Key = message.Key,
            Data = message.Value ?? [],
            Extensions = extensions,
        };
    }

    private static void Validate(PlatformEvent e)
    {
        // The SDK enforces the spec's attribute rules (non-empty id, URI-reference source, extension names).
        var ce = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = e.Id,
            Source = new Uri(e.Source, UriKind.RelativeOrAbsolute),
            Type = e.Type,
            Subject = e.Subject,
            Time = e.Time,
        };
        foreach (var (name, value) in e.Extensions) ce[name] = value;
        if (!ce.IsValid) throw new ArgumentException($"CloudEvent {e.Id} is missing a required attribute", nameof(e));
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
