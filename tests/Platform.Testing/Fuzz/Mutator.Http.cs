namespace Platform.Testing.Fuzz;

/// <summary>Mutations of the request line and headers: path segments, query strings, methods, content types, Accept.</summary>
public sealed partial class Mutator
{
    private static readonly string[] HostileSegments =
    [
        "..", ".", "%2e%2e", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5c..%5cwindows", "%252e%252e%252f", "..;",
        "%00", "a%00b", "%0d%0aX-Injected:%20yes", "%0a", "%07", "%1b%5b31m", "%7f", "%ff%fe", "%c0%ae%c0%ae", "%e2%80%ae", "%ef%bb%bf",
        "%zz", "%", "%2", "%20", "+", "a%2fb", "a%5cb", "%2f", "~", "*", "**", "%2a", "(_)", "..(_)..", "%3f", "%23", "a;b=c", "CON", "nul",
    ];

    /// <summary>
    /// A path segment, percent-encoded as it goes on the wire: traversal (plain, encoded, double-encoded, backslash),
    /// NUL/CR/LF and other control characters, invalid UTF-8 and invalid escapes, huge names, or the real value mutated.
    /// </summary>
    public string Segment(string real) => _rng.Next(6) switch
    {
        0 or 1 => Pick(HostileSegments),
        2 => Uri.EscapeDataString(MutateText(real)),
        3 => Uri.EscapeDataString(real) + Pick(HostileSegments),
        4 => new string('s', _rng.Next(255, 9000)),
        _ => Uri.EscapeDataString(real),
    };

    /// <summary>A path from <paramref name="realSegments"/> with one or more segments mutated (sometimes dropped or doubled).</summary>
    public string Path(params string[] realSegments)
    {
        var parts = realSegments.Select(Uri.EscapeDataString).ToList();
        var edits = _rng.Next(1, 3);
        for (var i = 0; i < edits && parts.Count > 0; i++)
        {
            var at = _rng.Next(parts.Count);
            switch (_rng.Next(8))
            {
                case 0: parts.RemoveAt(at); break;
                case 1: parts.Insert(at, parts[at]); break;
                case 2: parts.Insert(at, Pick(HostileSegments)); break;
                default: parts[at] = Segment(realSegments[Math.Min(at, realSegments.Length - 1)]); break;
            }
        }
        var path = "/" + string.Join('/', parts);
        return _rng.Next(12) switch
        {
            0 => path + "/",
            1 => path.Replace("/", "//", StringComparison.Ordinal),
            _ => path,
        };
    }

    /// <summary>
    /// A query string (with its <c>?</c>) built from real parameters: values mutated, keys duplicated, dropped, empty or
    /// without <c>=</c>, unknown keys added, encoding broken.
    /// </summary>
    public string Query(params (string Key, string Value)[] real)
    {
        var pairs = real.Select(p => (Key: Uri.EscapeDataString(p.Key), Value: (string?)Uri.EscapeDataString(p.Value))).ToList();
        var edits = _rng.Next(1, 4);
        for (var i = 0; i < edits; i++)
        {
            var at = pairs.Count == 0 ? 0 : _rng.Next(pairs.Count);
            switch (_rng.Next(9))
            {
                case 0 when pairs.Count > 0: pairs.Insert(at, pairs[at] with { Value = Uri.EscapeDataString(WeirdScalar()) }); break;
                case 1 when pairs.Count > 0: pairs[at] = pairs[at] with { Value = null }; break;
                case 2 when pairs.Count > 0: pairs.RemoveAt(at); break;
                case 3: pairs.Add((Uri.EscapeDataString(WeirdScalar()), Uri.EscapeDataString(WeirdScalar()))); break;
                case 4 when pairs.Count > 0: pairs[at] = pairs[at] with { Value = Pick(HostileSegments) }; break;
                case 5 when pairs.Count > 0: pairs[at] = pairs[at] with { Value = EnormousNumber() }; break;
                case 6: pairs.Add(("", "x")); break;
                default:
                    if (pairs.Count > 0) pairs[at] = pairs[at] with { Value = Uri.EscapeDataString(MutateText(real.Length > 0 ? real[Math.Min(at, real.Length - 1)].Value : "")) };
                    break;
            }
        }
        var query = string.Join('&', pairs.Select(p => p.Value is null ? p.Key : p.Key + "=" + p.Value));
        return "?" + (OneIn(15) ? query + Pick("&", "&&", "#frag", "%", "=") : query);
    }

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "FOO"];

    /// <summary>Usually the real method; otherwise any other, lower-case, or invented.</summary>
    public string Method(string real) => OneIn(4) ? Pick(Methods) : real;

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/json", "application/xml", "text/xml", "application/yaml", "application/json; charset=utf-16",
        "application/json; charset=bogus", "application/octet-stream", "garbage", "", "*/*", "multipart/form-data",
        "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "application/problem+json", "application/json;;;",
        "application/merge-patch+json", "text/html; charset=\"", "application/xml; charset=ebcdic",
    ];

    /// <summary>Usually the real content type; otherwise a wrong, malformed or contradictory one.</summary>
    public string ContentType(string real) => _rng.Next(5) switch
    {
        0 => Pick(ContentTypes),
        1 => real + "; charset=" + Pick("utf-32", "x-unknown", "\"", ""),
        2 when OneIn(3) => real + ControlChars() + "X-Injected: yes",
        _ => real,
    };

    private static readonly string[] Accepts =
    [
        "application/json", "application/xml", "*/*", "text/html", "application/json;q=0", "application/xml, application/json;q=0.5",
        "garbage", "", "text/*;q=abc", "application/vnd.unknown+json", "image/png", "application/json, */*;q=0.1",
    ];

    public string Accept() => Pick(Accepts);

    /// <summary>A header value out of shape: huge, non-ASCII, control characters (CR/LF among them), empty.</summary>
    public string HeaderValue(string real) => _rng.Next(6) switch
    {
        0 => real + ControlChars() + "X-Injected: yes",
        1 => new string('h', _rng.Next(100, 40_000)),
        2 => real + "ü✓",
        3 => "",
        4 => WeirdScalar(),
        _ => MutateText(real),
    };
}
