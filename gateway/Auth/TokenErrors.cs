using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Gateway.Auth;

/// <summary>Why a token was refused, in words a caller can act on (IdentityModel's messages hide the values as PII).</summary>
internal static class TokenErrors
{
    public static string Describe(Exception? error, string token, string? expectedIssuer, string? expectedAudience)
    {
        var jwt = TryRead(token);
        return error switch
        {
            null => "invalid token",
            SecurityTokenMalformedException => "the token is not a well-formed JWT",
            SecurityTokenSignatureKeyNotFoundException => jwt?.Kid is { Length: > 0 } kid
                ? $"no signing key of the issuer has kid '{kid}'"
                : "the token names no kid and no key of the issuer verifies it",
            SecurityTokenInvalidSignatureException => "the signature does not verify with the issuer's keys",
            SecurityTokenInvalidIssuerException => $"issuer '{jwt?.Issuer}' is not the expected '{expectedIssuer}'",
            SecurityTokenInvalidAudienceException => $"audience '{string.Join(",", jwt?.Audiences ?? [])}' is not the expected '{expectedAudience}'",
            SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException => Lifetime(jwt),
            _ => error.Message,
        };
    }

    private static string Lifetime(JsonWebToken? jwt)
    {
        if (jwt is null) return "the token is outside its lifetime";
        return jwt.ValidTo > DateTime.UnixEpoch && jwt.ValidTo <= DateTime.UtcNow
            ? $"the token expired at {jwt.ValidTo.ToString("O", CultureInfo.InvariantCulture)}"
            : $"the token is not valid before {jwt.ValidFrom.ToString("O", CultureInfo.InvariantCulture)} or after {jwt.ValidTo.ToString("O", CultureInfo.InvariantCulture)}";
    }

    private static JsonWebToken? TryRead(string token)
    {
        try { return new JsonWebToken(token); }
        catch (ArgumentException) { return null; }
    }
}
