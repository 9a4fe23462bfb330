using System.Text;

namespace Platform.Testing.Fuzz;

/// <summary>
/// One generated request. <see cref="Target"/> is the request target exactly as it goes on the wire (path and query,
/// already percent-encoded where the generator wants it so); the runner never normalizes it.
/// </summary>
public sealed record FuzzRequest(string Method, string Target)
{
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Which corpus entry and mutation made it, for reading a failure.</summary>
    public string Label { get; init; } = "";

    public static FuzzRequest Get(string target, string label = "") => new("GET", target) { Label = label };

    public FuzzRequest WithBody(byte[] body, string? contentType) => this with { Body = body, ContentType = contentType };

    public FuzzRequest WithBody(string body, string? contentType) => WithBody(Encoding.UTF8.GetBytes(body), contentType);

    public FuzzRequest WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    /// <summary>Enough to replay the request by hand: method, target, headers and the start of the body, escaped.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder().Append('[').Append(Label).Append("] ").Append(Method).Append(' ').Append(Escape(Cut(Target, 300)));
        foreach (var (k, v) in Headers) sb.Append(" | ").Append(Escape(k)).Append(": ").Append(Escape(Cut(v, 120)));
        if (ContentType is not null) sb.Append(" | Content-Type: ").Append(Escape(Cut(ContentType, 120)));
        if (Body is not null)
            sb.Append(" | body ").Append(Body.Length).Append(" bytes: ").Append(Escape(Cut(Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 400)), 300)));
        return sb.ToString();
    }

    internal static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + $"…(+{s.Length - max})";

    internal static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
