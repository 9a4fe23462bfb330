namespace Platform.Oidc;

/// <summary>
/// Where an issuer's keys come from and how often they may be fetched, as the host's own configuration names them
/// (<paramref name="ConfigKeyPrefix"/>, e.g. <c>Gateway:Auth:Jwt</c>, so errors point at the key to fix).
/// </summary>
/// <param name="Authority">The issuer URL; <c>{Authority}/.well-known/openid-configuration</c> gives <c>issuer</c> and <c>jwks_uri</c>.</param>
/// <param name="JwksUrl">A JSON Web Key Set fetched directly, without discovery (used only when <paramref name="Authority"/> is empty).</param>
/// <param name="RequireHttpsMetadata">Discovery and keys only over https (loopback excepted).</param>
/// <param name="RefreshInterval">How often <see cref="IssuerKeysRefresher"/> fetches the keys again.</param>
/// <param name="MinRefreshInterval">The least time between two fetches an unknown <c>kid</c> may trigger, and between retries while the issuer is down.</param>
public sealed record IssuerKeysSettings(
    string? Authority,
    string? JwksUrl,
    bool RequireHttpsMetadata,
    TimeSpan RefreshInterval,
    TimeSpan MinRefreshInterval,
    string ConfigKeyPrefix)
{
    /// <summary>Whether keys come from a discovery document or a JWKS URL at all.</summary>
    public bool Configured => Authority is { Length: > 0 } || JwksUrl is { Length: > 0 };
}
