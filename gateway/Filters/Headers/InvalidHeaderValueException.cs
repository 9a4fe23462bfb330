namespace Platform.Gateway.Filters.Headers;

/// <summary>
/// A header filter's value, after <c>{variable}</c> expansion, is not a valid HTTP field value; the route's filter
/// runner answers 400 naming <see cref="Header"/> instead of letting the server fail mid-response.
/// </summary>
public sealed class InvalidHeaderValueException(string header, string reason)
    : Exception($"header {header}: {reason}")
{
    public string Header { get; } = header;
}
