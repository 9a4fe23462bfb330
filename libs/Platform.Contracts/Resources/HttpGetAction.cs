namespace Platform.Contracts.Resources;

public sealed record HttpGetAction
{
    public string? Path { get; init; }
    /// <summary>A port number or the name of a container port.</summary>
    public IntOrString? Port { get; init; }
    public string? Host { get; init; }
    /// <summary><c>HTTP</c> (default) or <c>HTTPS</c>.</summary>
    public string? Scheme { get; init; }
    public List<HttpHeader>? HttpHeaders { get; init; }
}
