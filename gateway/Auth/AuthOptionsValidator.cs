using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>Reports every bad <c>Gateway:Auth:Jwt</c> discovery setting at start, naming its key.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var errors = new List<string>();
        var jwt = o.Jwt;
        if (jwt.Authority is { Length: > 0 } a && !IsHttpUrl(a)) errors.Add($"Gateway:Auth:Jwt:Authority: '{a}' is not an absolute http(s) URL");
        if (jwt.JwksUrl is { Length: > 0 } j && !IsHttpUrl(j)) errors.Add($"Gateway:Auth:Jwt:JwksUrl: '{j}' is not an absolute http(s) URL");
        if (jwt.JwksRefreshInterval < TimeSpan.FromSeconds(1)) errors.Add("Gateway:Auth:Jwt:JwksRefreshInterval: must be >= 1 s");
        if (jwt.JwksMinRefreshInterval <= TimeSpan.Zero || jwt.JwksMinRefreshInterval > jwt.JwksRefreshInterval)
            errors.Add("Gateway:Auth:Jwt:JwksMinRefreshInterval: must be > 0 and <= JwksRefreshInterval");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
