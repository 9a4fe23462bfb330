namespace Platform.ApiServer.Auth.Oidc;

/// <summary>
/// <c>ApiServer:Oidc</c>: ID tokens of one OpenID Connect issuer accepted as bearer tokens, as kube-apiserver's
/// <c>--oidc-*</c> flags configure them. Off while <see cref="IssuerUrl"/> is empty. Validated by
/// <see cref="OidcOptionsValidation"/> with the rest of <see cref="ApiServerOptions"/>.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The username prefix that turns prefixing off (kube's <c>--oidc-username-prefix=-</c>).</summary>
    public const string NoPrefix = "-";

    /// <summary>
    /// <c>ApiServer:Oidc:IssuerUrl</c> (<c>--oidc-issuer-url</c>): must equal the tokens' <c>iss</c> and the discovery
    /// document's <c>issuer</c>; keys come from <c>{IssuerUrl}/.well-known/openid-configuration</c>'s <c>jwks_uri</c>.
    /// https, except for a loopback issuer (tests, a local Dex).
    /// </summary>
    public string? IssuerUrl { get; set; }

    /// <summary><c>ApiServer:Oidc:ClientId</c> (<c>--oidc-client-id</c>): the audience a token must name in <c>aud</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary><c>ApiServer:Oidc:UsernameClaim</c> (<c>--oidc-username-claim</c>): the claim that names the user (default <c>sub</c>).</summary>
    public string UsernameClaim { get; set; } = "sub";

    /// <summary>
    /// <c>ApiServer:Oidc:UsernamePrefix</c> (<c>--oidc-username-prefix</c>): put before every username, so an issuer's
    /// users cannot take the names of platform tokens or ServiceAccounts. Unset: <c>{IssuerUrl}#</c> unless the username
    /// claim is <c>email</c> (kube's default); <c>-</c>: no prefix.
    /// </summary>
    public string? UsernamePrefix { get; set; }

    /// <summary><c>ApiServer:Oidc:GroupsClaim</c> (<c>--oidc-groups-claim</c>): a string or string-array claim of group names (unset: no groups).</summary>
    public string? GroupsClaim { get; set; }

    /// <summary><c>ApiServer:Oidc:GroupsPrefix</c> (<c>--oidc-groups-prefix</c>): put before every group name (unset: none).</summary>
    public string? GroupsPrefix { get; set; }

    /// <summary><c>ApiServer:Oidc:CaFile</c> (<c>--oidc-ca-file</c>): PEM certificate(s) trusted for the issuer's TLS, besides the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// <c>ApiServer:Oidc:JwksMinRefreshInterval</c>: the least time between two key fetches a token with an unknown
    /// <c>kid</c> may trigger, and between retries while the issuer is down (10 s). Keys are also fetched hourly.
    /// </summary>
    public TimeSpan JwksMinRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether ID tokens are accepted at all.</summary>
    public bool Enabled => IssuerUrl is { Length: > 0 };

    /// <summary>The prefix in effect for usernames, kube's rule applied.</summary>
    public string EffectiveUsernamePrefix => UsernamePrefix switch
    {
        NoPrefix => "",
        { Length: > 0 } prefix => prefix,
        _ => UsernameClaim == "email" ? "" : IssuerUrl + "#",
    };
}
