using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Security;

/// <summary>
/// Accepts HTTP Basic (what Spring Cloud Config clients send from <c>spring.cloud.config.username/password</c>)
/// or a static bearer token. Secrets are compared in constant time over their SHA-256 digests.
/// </summary>
internal sealed class BasicOrBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "BasicOrBearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        var o = security.Value;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && o.HasBasic)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
            catch (FormatException) { return Task.FromResult(AuthenticateResult.Fail("Authorization: Basic credentials are not base64")); }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && SecretEquals(decoded[..colon], o.Username!) && SecretEquals(decoded[(colon + 1)..], o.Password!))
                return Task.FromResult(Success(decoded[..colon]));
            return Task.FromResult(AuthenticateResult.Fail("Authorization: wrong user name or password"));
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && o.HasBearer)
        {
            return Task.FromResult(SecretEquals(header[7..].Trim(), o.BearerToken!)
                ? Success("bearer")
                : AuthenticateResult.Fail("Authorization: bearer token not accepted"));
        }
        return Task.FromResult(AuthenticateResult.Fail("Authorization: scheme not accepted (use Basic or Bearer)"));
    }

    /// <summary>401 as ProblemDetails saying what was wrong with the Authorization header.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"config-server\"";
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Authorization: credentials required (HTTP Basic or Bearer)";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail).ExecuteAsync(Context);
    }

    private AuthenticateResult Success(string user) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], SchemeName)), SchemeName));

    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
