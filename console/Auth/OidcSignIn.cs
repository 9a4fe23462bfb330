using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Platform.Console.Auth;

/// <summary>
/// Sign-in with an OpenID Connect provider (<c>Console:Oidc</c>): the authorization code flow with PKCE. The ID token
/// the provider returns is checked by the apiserver exactly as a pasted token is (<see cref="TokenSignIn"/>, a
/// SelfSubjectReview), then kept in the encrypted sign-in cookie and sent as the bearer token of every call, so RBAC
/// and the audit log see the provider's user. An expired ID token is renewed with the refresh token if there is one,
/// else ends the session (back to the sign-in page).
/// </summary>
internal static partial class OidcSignIn
{
    public const string Scheme = "oidc";
    /// <summary>Where the provider sends the browser back with the code.</summary>
    public const string CallbackPath = "/signin-oidc";

    public static AuthenticationBuilder AddConsoleOidc(this AuthenticationBuilder auth, ConsoleOidcOptions settings)
    {
        if (!settings.Enabled) return auth;
        return auth.AddOpenIdConnect(Scheme, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
            o.RequireHttpsMetadata = !(Uri.TryCreate(settings.Authority, UriKind.Absolute, out var url) && url.IsLoopback);
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // query, not form_post: the callback is then a top-level GET, which carries the SameSite=Lax correlation
            // and nonce cookies; a cross-site form post would not.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = ConsoleUser.Scheme;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            foreach (var scope in settings.EffectiveScopes) o.Scope.Add(scope);
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.BackchannelTimeout = TimeSpan.FromSeconds(10);
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = AcceptAsync,
                OnRemoteFailure = c =>
                {
                    // The provider's or the apiserver's words go to the log; the page shows a fixed sentence, so a
                    // crafted callback URL cannot put text of its choosing on the console's sign-in page.
                    LogFailed(c.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn)), c.Failure?.Message ?? "unknown");
                    c.Response.Redirect("/signin?failed=oidc");
                    c.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The provider's ID token is valid for the console; the apiserver decides whether it is valid for the cluster.</summary>
    private static async Task AcceptAsync(TokenValidatedContext c)
    {
        var idToken = c.TokenEndpointResponse?.IdToken;
        if (string.IsNullOrEmpty(idToken))
        {
            c.Fail("the provider returned no id_token");
            return;
        }
        var review = await c.HttpContext.RequestServices.GetRequiredService<TokenSignIn>().ReviewAsync(idToken, c.HttpContext.RequestAborted);
        if (review.UserName is null)
        {
            c.Fail("the apiserver refused the ID token: " + review.Error);
            return;
        }
        c.Principal = ConsoleUser.Principal(review.UserName, review.Groups, idToken, new JsonWebToken(idToken).ValidTo, c.TokenEndpointResponse?.RefreshToken);
    }

    /// <summary>
    /// Cookie check on every request: an ID token past its <c>exp</c> is renewed with the refresh token when there is
    /// one (<see cref="OidcRefresh"/>); otherwise, or when that fails, the session ends and the user signs in again.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext c)
    {
        if (ConsoleUser.ExpiresOf(c.Principal) is not { } expires) return;
        var time = c.HttpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        if (expires > time.GetUtcNow()) return;
        if (ConsoleUser.RefreshTokenOf(c.Principal) is { } refresh && await OidcRefresh.TryAsync(c.HttpContext, refresh) is { } renewed)
        {
            c.ReplacePrincipal(renewed);
            c.ShouldRenew = true;
            return;
        }
        c.RejectPrincipal();
        await c.HttpContext.SignOutAsync(ConsoleUser.Scheme);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "OIDC sign-in failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
