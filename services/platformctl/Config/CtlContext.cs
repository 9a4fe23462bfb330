namespace Platform.Ctl.Config;

/// <summary>A named apiserver address, token and default namespace.</summary>
public sealed record CtlContext
{
    public required string Name { get; init; }
    public string? Server { get; init; }
    public string? Token { get; init; }
    /// <summary>The PEM CA file the server's HTTPS certificate is checked against.</summary>
    public string? CertificateAuthority { get; init; }
    public string? Namespace { get; init; }
}
