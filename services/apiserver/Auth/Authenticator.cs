using Platform.ApiServer.Auth.Rbac;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Who a bearer token belongs to, whatever kind it is: the apiserver's in-memory loopback token, a ServiceAccount JWT
/// (<see cref="ServiceAccountTokens"/>) or a platform token (<see cref="TokenStore"/>). Used for every request and by
/// the TokenReview API.
/// </summary>
internal sealed class Authenticator(TokenStore tokens, ServiceAccountTokens serviceAccounts, LoopbackInformers loopback)
{
    public const int MaxTokenLength = 4096;

    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        if (token.Length is 0 or > MaxTokenLength) return null;
        if (TokenHasher.FixedTimeEquals(token, loopback.Token)) return LoopbackInformers.Identity;
        return ServiceAccountTokens.LooksLikeJwt(token)
            ? await serviceAccounts.AuthenticateAsync(token, ct)
            : await tokens.AuthenticateAsync(token, ct);
    }
}
