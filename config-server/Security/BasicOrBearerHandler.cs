using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Security;

/// <summary>
/// Accepts HTTP Basic (what Spring Cloud Config clients send from <c>spring.cloud.config.username/password</c>), a
/// static bearer token, or — when the ConfigMap backend is on — any bearer token the platform's apiserver vouches for
/// (a ServiceAccount's or a platform token, through <see cref="DelegatedAuth"/>). Static secrets are compared in
/// constant time over their SHA-256 digests. Static credentials carry the claim <see cref="StaticClaim"/>; reviewed
/// users carry their groups as <see cref="GroupClaim"/>.
/// </summary>
internal sealed class BasicOrBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security,
    IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "BasicOrBearer";
    public const string StaticClaim = "platform.static";
    public const string GroupClaim = "platform.group";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var delegated = services.GetService<DelegatedAuth>();
        if (delegated is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length < 8192)
        {
            var token = header[7..].Trim();
            var o = security.Value;
            if (!(o.HasBearer && SecretEquals(token, o.BearerToken!)))
            {
                ReviewedUser? user;
                try { user = await delegated.AuthenticateAsync(token, Context.RequestAborted); }
                catch (Exception ex) when (ex is HttpRequestException or Platform.ApiServer.Client.ApiException or TaskCanceledException)
                {
                    return AuthenticateResult.Fail("Authorization: the apiserver could not review the bearer token: " + ex.Message);
                }
                if (user is null) return AuthenticateResult.Fail("Authorization: bearer token not accepted");
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), .. user.Groups.Select(g => new Claim(GroupClaim, g))], SchemeName);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            }
        }
        return HandleStatic(header);
    }

    private AuthenticateResult HandleStatic(string header)
    {
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var o = security.Value;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && o.HasBasic)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
            catch (FormatException) { return AuthenticateResult.Fail("Authorization: Basic credentials are not base64"); }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && SecretEquals(decoded[..colon], o.Username!) && SecretEquals(decoded[(colon + 1)..], o.Password!))
                return Success(decoded[..colon]);
            return AuthenticateResult.Fail("Authorization: wrong user name or password");
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && o.HasBearer)
        {
            return SecretEquals(header[7..].Trim(), o.BearerToken!)
                ? Success("bearer")
                : AuthenticateResult.Fail("Authorization: bearer token not accepted");
        }
        return AuthenticateResult.Fail("Authorization: scheme not accepted (use Basic or Bearer)");
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
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(StaticClaim, "true")], SchemeName)), SchemeName));

    private static bool SecretEquals(string given, string expected) => Platform.ServiceDefaults.SecretComparison.FixedTimeEquals(given, expected);
}
