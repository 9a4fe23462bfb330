namespace Platform.Gateway.Filters.Destination;

/// <summary>What SetRequestUri and RequestHeaderToRequestUri accept as the request's new URL.</summary>
internal static class RequestUriFilters
{
    /// <summary>An absolute http(s) URL, or null (Spring keeps the route's URL when the new one is not valid).</summary>
    public static Uri? Parse(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;
}
