using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Oidc;

namespace Platform.Gateway.Auth;

/// <summary>
/// Validates bearer tokens: signature (configured HMAC keys, or the issuer's keys from OIDC discovery or a JWKS URL,
/// <see cref="IssuerKeys"/>), lifetime, issuer and audience.
/// </summary>
internal sealed class JwtValidator(IOptions<AuthOptions> options, IssuerKeys issuerKeys, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<JwtValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = options.Value.Jwt;
        var hmac = jwt.SigningKeys.Select(k => (SecurityKey)new SymmetricSecurityKey(KeyBytes(k))).ToList();
        if (!issuerKeys.Configured) return Result(await _handler.ValidateTokenAsync(token, Parameters(jwt, null, hmac)).ConfigureAwait(false), token, jwt, null);
        try
        {
            // Key rotation: a kid not held makes one refresh (rate-limited by JwksMinRefreshInterval).
            var (result, issuer) = await issuerKeys.ValidateAsync(_handler, token, i => Parameters(jwt, i.Issuer, [.. hmac, .. i.Keys]), cancellationToken).ConfigureAwait(false);
            return Result(result, token, jwt, issuer.Issuer);
        }
        catch (IssuerUnavailableException ex)
        {
            return new JwtValidation(null, ex.Message, IssuerUnavailable: true);
        }
    }

    private static JwtValidation Result(TokenValidationResult result, string token, AuthOptions.JwtSettings jwt, string? discoveredIssuer) =>
        result.IsValid
            ? new JwtValidation(new ClaimsPrincipal(new ClaimsIdentity(result.ClaimsIdentity.Claims, "Bearer", "sub", jwt.RoleClaim)), null, false)
            : new JwtValidation(null, TokenErrors.Describe(result.Exception, token, jwt.Issuer ?? discoveredIssuer, jwt.Audience), false);

    private TokenValidationParameters Parameters(AuthOptions.JwtSettings jwt, string? discoveredIssuer, List<SecurityKey> keys)
    {
        var issuer = jwt.Issuer is { Length: > 0 } configured ? configured : discoveredIssuer;
        return new()
        {
            ValidateIssuer = issuer is { Length: > 0 },
            ValidIssuer = issuer,
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
    }

    private static byte[] KeyBytes(string key)
    {
        try { return Convert.FromBase64String(key); }
        catch (FormatException) { return Encoding.UTF8.GetBytes(key); }
    }
}

/// <summary>
/// A validated principal, or why the token was refused; <see cref="IssuerUnavailable"/>: the issuer's keys could not
/// be loaded, so the token could be checked neither way (503, not 401).
/// </summary>
internal sealed record JwtValidation(ClaimsPrincipal? Principal, string? Error, bool IssuerUnavailable);
