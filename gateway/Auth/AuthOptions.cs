namespace Platform.Gateway.Auth;

/// <summary><c>Gateway:Auth</c>: how JwtAuthentication validates tokens and which API keys exist.</summary>
public sealed class AuthOptions
{
    public const string Section = "Gateway:Auth";

    public JwtSettings Jwt { get; set; } = new();

    /// <summary><c>Gateway:Auth:ApiKeys:{name}</c>: each key stored only as its SHA-256 (hex), with the roles it grants.</summary>
    public Dictionary<string, ApiKeySettings> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>Gateway:Auth:ApiKeySecrets</c>: API keys kept as Secrets in the apiserver.</summary>
    public ApiKeySecretSettings ApiKeySecrets { get; set; } = new();

    /// <summary>
    /// <c>ApiServerUrl</c> (unset: no Secret-backed keys), <c>Token</c> (default env <c>PLATFORM_ADMIN_TOKEN</c>) and
    /// <c>Topic</c> (default <c>platform.secrets</c>) choose the apiserver connection and are read where the client kit
    /// is registered (<see cref="Configuration.GatewayResourceRegistration"/>).
    /// </summary>
    public sealed class ApiKeySecretSettings
    {
        /// <summary><c>Gateway:Auth:ApiKeySecrets:Label</c>: the label that marks a Secret as a gateway API key (any value).</summary>
        public string Label { get; set; } = "gateway.platform.io/api-key";
    }

    public sealed class JwtSettings
    {
        /// <summary><c>Gateway:Auth:Jwt:Issuer</c>: required <c>iss</c> (unset: not checked).</summary>
        public string? Issuer { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:Audience</c>: required <c>aud</c> (unset: not checked).</summary>
        public string? Audience { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:SigningKeys</c>: HMAC secrets (base64, or text when not base64).</summary>
        public List<string> SigningKeys { get; set; } = [];
        /// <summary>
        /// <c>Gateway:Auth:Jwt:Authority</c>: the OIDC issuer URL; its <c>/.well-known/openid-configuration</c> gives the
        /// <c>jwks_uri</c> and, unless <c>Issuer</c> is set, the required <c>iss</c>.
        /// </summary>
        public string? Authority { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:JwksUrl</c>: a JSON Web Key Set, without discovery (ignored when <c>Authority</c> is set).</summary>
        public string? JwksUrl { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:JwksRefreshInterval</c>: how often the issuer's keys are fetched again (5 min).</summary>
        public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>
        /// <c>Gateway:Auth:Jwt:JwksMinRefreshInterval</c>: the least time between two fetches a token with an unknown
        /// <c>kid</c> may trigger, and between retries while the issuer is down (10 s).
        /// </summary>
        public TimeSpan JwksMinRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary><c>Gateway:Auth:Jwt:RequireHttpsMetadata</c>: discovery and keys only over https, loopback excepted (true).</summary>
        public bool RequireHttpsMetadata { get; set; } = true;
        /// <summary><c>Gateway:Auth:Jwt:RoleClaim</c>: the claim holding roles (default <c>roles</c>).</summary>
        public string RoleClaim { get; set; } = "roles";
        public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    }

    public sealed class ApiKeySettings
    {
        /// <summary>SHA-256 of the key, hex.</summary>
        public string Sha256 { get; set; } = "";
        public List<string> Roles { get; set; } = [];
    }
}
