using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Gateway.Auth;

/// <summary>Validates bearer tokens: signature (configured keys or JWKS), lifetime, issuer and audience.</summary>
public sealed class JwtValidator(IOptions<AuthOptions> options, IHttpClientFactory httpClients, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim _jwksLock = new(1, 1);
    private IReadOnlyList<SecurityKey> _jwks = [];
    private DateTimeOffset _jwksFetched = DateTimeOffset.MinValue;

    public async Task<(ClaimsPrincipal? Principal, string? Error)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = options.Value.Jwt;
        var keys = new List<SecurityKey>(jwt.SigningKeys.Select(k => (SecurityKey)new SymmetricSecurityKey(KeyBytes(k))));
        if (jwt.JwksUrl is { Length: > 0 }) keys.AddRange(await JwksAsync(jwt.JwksUrl, force: false, cancellationToken).ConfigureAwait(false));
        var result = await _handler.ValidateTokenAsync(token, Parameters(jwt, keys)).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && jwt.JwksUrl is { Length: > 0 })
        {
            // Key rotation: a kid we have not seen yet triggers one refresh of the key set.
            keys.AddRange(await JwksAsync(jwt.JwksUrl, force: true, cancellationToken).ConfigureAwait(false));
            result = await _handler.ValidateTokenAsync(token, Parameters(jwt, keys)).ConfigureAwait(false);
        }
        if (!result.IsValid) return (null, result.Exception?.Message ?? "invalid token");
        return (new ClaimsPrincipal(new ClaimsIdentity(result.ClaimsIdentity.Claims, "Bearer", "sub", jwt.RoleClaim)), null);
    }

    private TokenValidationParameters Parameters(AuthOptions.JwtSettings jwt, List<SecurityKey> keys) => new()
    {
        ValidateIssuer = jwt.Issuer is { Length: > 0 },
        ValidIssuer = jwt.Issuer,
        ValidateAudience = jwt.Audience is { Length: > 0 },
        ValidAudience = jwt.Audience,
        IssuerSigningKeys = keys,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        ClockSkew = jwt.ClockSkew,
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore.Value - p.ClockSkew <= now) && (expires is null || expires.Value + p.ClockSkew > now);
        },
        RoleClaimType = jwt.RoleClaim,
    };

    private static byte[] KeyBytes(string key)
    {
        try { return Convert.FromBase64String(key); }
        catch (FormatException) { return Encoding.UTF8.GetBytes(key); }
    }

    private async Task<IReadOnlyList<SecurityKey>> JwksAsync(string url, bool force, CancellationToken ct)
    {
        if (!force && time.GetUtcNow() - _jwksFetched < TimeSpan.FromMinutes(5)) return _jwks;
        await _jwksLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!force && time.GetUtcNow() - _jwksFetched < TimeSpan.FromMinutes(5)) return _jwks;
            var json = await httpClients.CreateClient("jwks").GetStringAsync(new Uri(url), ct).ConfigureAwait(false);
            _jwks = [.. new JsonWebKeySet(json).GetSigningKeys()];
            _jwksFetched = time.GetUtcNow();
            return _jwks;
        }
        finally { _jwksLock.Release(); }
    }
}
