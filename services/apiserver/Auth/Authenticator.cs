using Platform.ApiServer.Auth.Oidc;
using Platform.ApiServer.Auth.Rbac;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Who a bearer token belongs to, whatever kind it is: the apiserver's in-memory loopback token, a ServiceAccount JWT
/// (<see cref="ServiceAccountTokens"/>), an ID token of the configured OIDC issuer (<see cref="OidcAuthenticator"/>) or
/// a platform token (<see cref="TokenStore"/>). Used for every request and by the TokenReview API.
/// </summary>
internal sealed class Authenticator(TokenStore tokens, ServiceAccountTokens serviceAccounts, OidcAuthenticator oidc, LoopbackInformers loopback)
{
    public const int MaxTokenLength = 4096;

    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        if (token.Length is 0 or > MaxTokenLength) return null;
        if (TokenHasher.FixedTimeEquals(token, loopback.Token)) return LoopbackInformers.Identity;
        if (!ServiceAccountTokens.LooksLikeJwt(token)) return await tokens.AuthenticateAsync(token, ct);
        // Both kinds of JWT are told apart by their (unverified) iss; the validator chosen then checks everything.
        return oidc.Handles(token)
            ? await oidc.AuthenticateAsync(token, ct)
            : await serviceAccounts.AuthenticateAsync(token, ct);
    }
}
