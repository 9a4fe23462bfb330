using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.ApiServer.Auth.Rbac;
using Platform.Oidc;

namespace Platform.ApiServer.Auth.Oidc;

/// <summary>
/// ID tokens of the issuer <c>ApiServer:Oidc:IssuerUrl</c> names, checked as kube-apiserver's OIDC authenticator checks
/// them: signed by one of the issuer's published keys (<see cref="IssuerKeys"/>, fetched again for an unknown
/// <c>kid</c>), <c>iss</c> equal to the issuer, <c>aud</c> naming <c>ClientId</c>, <c>exp</c> present and not past, and
/// with <c>email</c> as the username claim, <c>email_verified</c> not false. The caller is a <see cref="Role.User"/>
/// with the prefixed username and groups plus <c>system:authenticated</c>: it may do only what RBAC bindings grant.
/// </summary>
internal sealed partial class OidcAuthenticator(IOptions<ApiServerOptions> options, IssuerKeys keys, TimeProvider time, ILogger<OidcAuthenticator> logger)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    private OidcOptions Settings => options.Value.Oidc;

    /// <summary>
    /// Whether <paramref name="jwt"/> claims to come from the configured issuer. Read without checking anything: it only
    /// picks the validator (this one or the ServiceAccount one), which then checks everything.
    /// </summary>
    public bool Handles(string jwt)
    {
        if (!Settings.Enabled) return false;
        try { return string.Equals(new JsonWebToken(jwt).Issuer, Settings.IssuerUrl, StringComparison.Ordinal); }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException) { return false; }
    }

    /// <summary>The caller of a valid ID token, or null (the reason is logged at Debug, without the token).</summary>
    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var o = Settings;
        try
        {
            // Key rotation at the issuer: an unknown kid makes one refresh (rate-limited by JwksMinRefreshInterval).
            var (result, issuer) = await keys.ValidateAsync(_handler, token, i => Parameters(o, i.Keys), ct);
            if (issuer.Issuer is { } discovered && discovered != o.IssuerUrl)
            {
                LogIssuerMismatch(logger, discovered, o.IssuerUrl!);
                return null;
            }
            if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            {
                LogRejected(logger, result.Exception?.GetType().Name ?? "invalid", result.Exception?.Message ?? "");
                return null;
            }
            return CallerOf(o, jwt);
        }
        catch (IssuerUnavailableException ex)
        {
            LogUnavailable(logger, ex.Message);
            return null;
        }
    }

    private Caller? CallerOf(OidcOptions o, JsonWebToken jwt)
    {
        if (!TryGetString(jwt, o.UsernameClaim, out var name) || name.Length == 0)
            return Rejected($"the username claim '{o.UsernameClaim}' is missing or not a string");
        if (o.UsernameClaim == "email" && jwt.TryGetClaim("email_verified", out var verified) && !IsTrue(verified))
            return Rejected("email_verified is not true while the username claim is email");
        var user = o.EffectiveUsernamePrefix + name;
        var groups = new List<string>();
        if (o.GroupsClaim is { Length: > 0 } groupsClaim)
        {
            // A string claim is one group; an array is flattened by IdentityModel into one claim per element.
            foreach (var claim in jwt.Claims.Where(c => c.Type == groupsClaim))
            {
                if (claim.ValueType != ClaimValueTypes.String) return Rejected($"the groups claim '{groupsClaim}' holds a non-string value");
                groups.Add((o.GroupsPrefix ?? "") + claim.Value);
            }
        }
        // "system:" names belong to the platform (system:masters is cluster-admin): an issuer may not hand them out.
        if (user.StartsWith("system:", StringComparison.Ordinal) || groups.Any(g => g.StartsWith("system:", StringComparison.Ordinal)))
            return Rejected("the username or a group starts with 'system:' (set UsernamePrefix / GroupsPrefix)");
        return new Caller(user, Role.User, null, null) { Groups = [.. groups.Distinct(StringComparer.Ordinal), Groups.Authenticated] };
    }

    private Caller? Rejected(string reason)
    {
        LogRejected(logger, "claims", reason);
        return null;
    }

    private static bool TryGetString(JsonWebToken jwt, string claim, out string value)
    {
        value = "";
        if (!jwt.TryGetClaim(claim, out var c) || c.ValueType != ClaimValueTypes.String) return false;
        value = c.Value;
        return true;
    }

    // Some issuers (Cognito) send "true" as a string; kube accepts only a true boolean, and so do we, plus that string.
    private static bool IsTrue(Claim claim) => claim.ValueType == ClaimValueTypes.Boolean && string.Equals(claim.Value, "true", StringComparison.OrdinalIgnoreCase)
        || claim.ValueType == ClaimValueTypes.String && claim.Value == "true";

    private TokenValidationParameters Parameters(OidcOptions o, IReadOnlyList<SecurityKey> issuerKeys) => new()
    {
        ValidIssuer = o.IssuerUrl,
        ValidAudience = o.ClientId,
        IssuerSigningKeys = issuerKeys,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        // The host's TimeProvider rather than the wall clock, so tests can move time.
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } exp && exp + ClockSkew > now && (notBefore is null || notBefore.Value - ClockSkew <= now);
        },
    };

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "OIDC token refused ({Kind}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "OIDC token refused: {Error}")]
    private static partial void LogUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "OIDC tokens refused: the discovery document names issuer '{Discovered}', not ApiServer:Oidc:IssuerUrl '{Configured}'")]
    private static partial void LogIssuerMismatch(ILogger logger, string discovered, string configured);
}
