using System.Security.Claims;

namespace Platform.Console.Auth;

/// <summary>The claims the sign-in cookie carries: the user's name (from the apiserver's SelfSubjectReview) and their token.</summary>
internal static class ConsoleUser
{
    public const string Scheme = "console";
    public const string CookieName = "platform-console";
    public const string TokenClaim = "platform:token";

    public static string? TokenOf(ClaimsPrincipal? user) => user?.FindFirst(TokenClaim)?.Value;

    public static ClaimsPrincipal Principal(string userName, IEnumerable<string> groups, string token)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, userName), new(TokenClaim, token) };
        claims.AddRange(groups.Select(g => new Claim(ClaimTypes.Role, g)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
