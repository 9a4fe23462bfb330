namespace Platform.Gateway.Auth;

/// <summary><c>Gateway:Auth</c>: how JwtAuthentication validates tokens and which API keys exist.</summary>
public sealed class AuthOptions
{
    public const string Section = "Gateway:Auth";

    public JwtSettings Jwt { get; set; } = new();

    /// <summary><c>Gateway:Auth:ApiKeys:{name}</c>: each key stored only as its SHA-256 (hex), with the roles it grants.</summary>
    public Dictionary<string, ApiKeySettings> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public sealed class JwtSettings
    {
        /// <summary><c>Gateway:Auth:Jwt:Issuer</c>: required <c>iss</c> (unset: not checked).</summary>
        public string? Issuer { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:Audience</c>: required <c>aud</c> (unset: not checked).</summary>
        public string? Audience { get; set; }
        /// <summary><c>Gateway:Auth:Jwt:SigningKeys</c>: HMAC secrets (base64, or text when not base64).</summary>
        public List<string> SigningKeys { get; set; } = [];
        /// <summary><c>Gateway:Auth:Jwt:JwksUrl</c>: a JSON Web Key Set, refreshed every 5 minutes and on an unknown <c>kid</c>.</summary>
        public string? JwksUrl { get; set; }
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
