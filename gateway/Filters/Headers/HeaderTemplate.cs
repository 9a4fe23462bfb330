using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// A header value from route configuration that may use <c>{variable}</c>s captured from the path or host.
/// Only visible ASCII, space and tab are allowed: CR/LF would split the header (response splitting) and Kestrel
/// refuses control and non-ASCII characters only once the response is being written, which broke the framing of
/// a keep-alive connection. Netty transcodes non-Latin-1 to '?' silently; the gateway rejects instead.
/// </summary>
internal static class HeaderTemplate
{
    /// <summary>Checks the configured name and template when the route is compiled.</summary>
    public static void Validate(string name, string template, string argument = "value")
    {
        if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || c is ':' or '(' or ')' or ',' or ';' or '"' or '/' or '[' or ']' or '?' or '=' or '{' or '}' or '\\' or '<' or '>' or '@'))
            throw new GatewayArgumentException("name", $"'{name}' is not a valid header name");
        if (Invalid(template) is { } reason) throw new GatewayArgumentException(argument, $"header {name}: value {reason}");
    }

    /// <summary>The template with this request's variables; throws <see cref="InvalidHeaderValueException"/> when a variable made it invalid.</summary>
    public static string Expand(HttpContext context, string name, string template)
    {
        var value = GatewayRequestState.Of(context).Expand(template);
        if (ReferenceEquals(value, template)) return value;
        if (Invalid(value) is { } reason) throw new InvalidHeaderValueException(name, $"the value expanded from '{template}' {reason}");
        return value;
    }

    private static string? Invalid(string value)
    {
        foreach (var c in value)
        {
            if (c is '\r' or '\n') return "contains CR or LF";
            if ((c < ' ' && c != '\t') || c == '\u007f') return $"contains control character U+{(int)c:X4}";
            if (c > '\u007e') return $"contains non-ASCII character U+{(int)c:X4}";
        }
        return null;
    }
}
