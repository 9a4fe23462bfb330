using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Platform.Console.Auth;

/// <summary>
/// Trades the refresh token kept in the sign-in cookie (the provider sends one when <c>offline_access</c> is among
/// <c>Console:Oidc:Scopes</c>) for a new ID token once the old one has expired. The new ID token goes through the
/// apiserver's SelfSubjectReview like the first, so the apiserver stays the one judge of who the user is.
/// </summary>
internal static partial class OidcRefresh
{
    /// <summary>The renewed principal, or null when the provider or the apiserver says no (the user signs in again).</summary>
    public static async Task<ClaimsPrincipal?> TryAsync(HttpContext http, string refreshToken)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcRefresh));
        var options = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcSignIn.Scheme);
        var ct = http.RequestAborted;
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = options.ClientId! };
            if (!string.IsNullOrEmpty(options.ClientSecret)) form["client_secret"] = options.ClientSecret;
            using var response = await options.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(form), ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, $"the provider answered {(int)response.StatusCode}");
                return null;
            }
            var answer = new OpenIdConnectMessage(await response.Content.ReadAsStringAsync(ct));
            if (string.IsNullOrEmpty(answer.IdToken))
            {
                LogRefused(logger, "the provider's answer has no id_token");
                return null;
            }
            var review = await services.GetRequiredService<TokenSignIn>().ReviewAsync(answer.IdToken, ct);
            if (review.UserName is null)
            {
                LogRefused(logger, "the apiserver refused the new ID token: " + review.Error);
                return null;
            }
            // Providers that rotate refresh tokens send a new one; others keep the old one valid.
            return ConsoleUser.Principal(review.UserName, review.Groups, answer.IdToken, new JsonWebToken(answer.IdToken).ValidTo, answer.RefreshToken ?? refreshToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ArgumentException or JsonException
            || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            LogRefused(logger, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "OIDC refresh failed, the user signs in again: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
