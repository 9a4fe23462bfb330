namespace Platform.Console.Auth;

/// <summary>
/// <c>Console:Oidc</c>: "Sign in with &lt;provider&gt;" beside the token form, by the authorization code flow with
/// PKCE. Off while <see cref="Authority"/> is empty. The apiserver must accept the same issuer's ID tokens
/// (<c>ApiServer:Oidc:IssuerUrl</c> = <see cref="Authority"/>, <c>ApiServer:Oidc:ClientId</c> = <see cref="ClientId"/>).
/// </summary>
public sealed class ConsoleOidcOptions
{
    /// <summary><c>Console:Oidc:Authority</c>: the issuer URL (its <c>/.well-known/openid-configuration</c> is read); https, or http on loopback.</summary>
    public string? Authority { get; set; }

    /// <summary><c>Console:Oidc:ClientId</c>: the console's client at the issuer (required with Authority).</summary>
    public string? ClientId { get; set; }

    /// <summary><c>Console:Oidc:ClientSecret</c>: for a confidential client; empty for a public one (PKCE alone).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// <c>Console:Oidc:Scopes:N</c>: scopes asked for besides <c>openid</c> (empty: <c>profile</c> and <c>email</c>; Dex
    /// needs <c>groups</c> for groups). Empty by default because configuration binding adds to a list, never replaces it.
    /// </summary>
    public IList<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? [.. Scopes] : ["profile", "email"];

    /// <summary><c>Console:Oidc:DisplayName</c>: the provider named on the button (default: the authority's host).</summary>
    public string? DisplayName { get; set; }

    public bool Enabled => Authority is { Length: > 0 };

    public string ButtonName => DisplayName is { Length: > 0 } name ? name
        : Uri.TryCreate(Authority, UriKind.Absolute, out var url) ? url.Host : "OpenID Connect";
}
