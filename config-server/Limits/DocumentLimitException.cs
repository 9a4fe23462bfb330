namespace Platform.ConfigServer.Limits;

/// <summary>
/// A document or a placeholder resolution broke a <see cref="DocumentLimitsOptions"/> bound. It is a
/// <see cref="FormatException"/> because retrying cannot help: the event consumer dead-letters it at once.
/// </summary>
internal sealed class DocumentLimitException(string limit, string location, string reason)
    : FormatException($"{location}: {reason} ({DocumentLimitsOptions.Key(limit)})")
{
    /// <summary>The configuration key of the limit, e.g. <c>ConfigServer:Limits:MaxDepth</c>.</summary>
    public string LimitKey { get; } = DocumentLimitsOptions.Key(limit);

    /// <summary>Where: the file or ConfigMap data key, with a line when known, or the property being resolved.</summary>
    public string Location { get; } = location;
}
