using System.Security.Claims;

namespace Platform.Console.Auth;

/// <summary>The claims the sign-in cookie carries: the user's name (from the apiserver's SelfSubjectReview) and their token.</summary>
internal static class ConsoleUser
{
    public const string Scheme = "console";
    public const string CookieName = "platform-console";
    public const string TokenClaim = "platform:token";
    /// <summary>When the token stops working (an OIDC ID token's <c>exp</c>); absent for platform tokens, which do not expire.</summary>
    public const string ExpiresClaim = "platform:token-expires";

    /// <summary>An OIDC refresh token, when the provider gave one (<see cref="OidcRefresh"/>).</summary>
    public const string RefreshClaim = "platform:refresh-token";

    public static string? TokenOf(ClaimsPrincipal? user) => user?.FindFirst(TokenClaim)?.Value;

    public static string? RefreshTokenOf(ClaimsPrincipal? user) => user?.FindFirst(RefreshClaim)?.Value;

    public static DateTimeOffset? ExpiresOf(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirst(ExpiresClaim)?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static ClaimsPrincipal Principal(string userName, IEnumerable<string> groups, string token, DateTime? expires = null, string? refreshToken = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, userName), new(TokenClaim, token) };
        if (!string.IsNullOrEmpty(refreshToken)) claims.Add(new(RefreshClaim, refreshToken));
        if (expires is { } e) claims.Add(new(ExpiresClaim, new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        claims.AddRange(groups.Select(g => new Claim(ClaimTypes.Role, g)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
