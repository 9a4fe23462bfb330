using System.Text.Json.Nodes;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// The arguments ModifyRequestBody and ModifyResponseBody share: <c>from</c> and <c>to</c> (<see cref="BodyFormat"/>,
/// json by default), <c>newContentType</c> (Spring's name; default the <c>to</c> format's type when it differs from
/// <c>from</c>), <c>set.PATH</c> and <c>remove</c> (<see cref="JsonEdits"/>), <c>maxSize</c> (<see cref="BodyLimit"/>).
/// </summary>
internal sealed record ModifyBodySpec(BodyFormat From, BodyFormat To, string? NewContentType, JsonEdits Edits, long MaxSize)
{
    public static ModifyBodySpec Parse(ComponentArgs args)
    {
        var from = BodyFormats.Parse(args, "from");
        var to = BodyFormats.Parse(args, "to");
        var contentType = args.FindAny("newContentType", "contentType") is { Length: > 0 } ct ? ct.Trim() : null;
        if (contentType is not null && !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out _))
            throw new GatewayArgumentException("newContentType", $"'{contentType}' is not a media type");
        var edits = JsonEdits.From(args);
        if (from == to && edits.IsEmpty && contentType is null)
            throw new GatewayArgumentException("set", "nothing to change: give set.FIELD, remove, a to format other than from, or newContentType");
        return new ModifyBodySpec(from, to, contentType ?? (from != to ? BodyFormats.ContentType(to) : null), edits, BodyLimit.From(args));
    }

    /// <summary>Whether a body of this content type is in the <c>from</c> format (a missing type is taken as it).</summary>
    public bool Reads(string? contentType) => contentType is null || From switch
    {
        BodyFormat.Form => contentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase),
        _ => contentType.Contains("json", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>The changed body, or null with <paramref name="error"/> saying why it could not be changed.</summary>
    public byte[]? Apply(byte[] body, out string? error)
    {
        var node = BodyFormats.Decode(body, From, out error);
        if (error is not null) return null;
        if (!Edits.Apply(node))
        {
            error = "not a JSON object, so its fields cannot be set or removed";
            return null;
        }
        if (To == BodyFormat.Form && node is not JsonObject)
        {
            error = "not an object, so it cannot be written as form fields";
            return null;
        }
        return BodyFormats.Encode(node, To);
    }
}
