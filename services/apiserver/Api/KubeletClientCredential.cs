using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Secrets;

namespace Platform.ApiServer.Api;

/// <summary>
/// The bearer token the apiserver presents to node agents (Kubernetes' kubelet client credential). It has the
/// <see cref="Role.ApiServer"/> role, which the agents accept and the API itself refuses for everything. Kept in
/// <c>{StateDirectory}/apiserver-kubelet-client-token</c> and registered under a name derived from its hash, so
/// apiservers with their own state directories never overwrite each other's token.
/// </summary>
internal sealed class KubeletClientCredential(TokenStore tokens, IOptions<ApiServerOptions> options)
{
    public const string FileName = "apiserver-kubelet-client-token";
    private Task<string>? _token;

    public Task<string> TokenAsync(CancellationToken ct)
    {
        var t = _token;
        if (t is null || t.IsFaulted || t.IsCanceled) _token = t = RegisterAsync();
        return t.WaitAsync(ct);
    }

    /// <summary>An agent refused the token (it was deleted through the tokens API): register it again on next use.</summary>
    public void Invalidate() => _token = null;

    private async Task<string> RegisterAsync()
    {
        var token = GeneratedKeyFile.ReadOrCreate(Path.Combine(options.Value.StateDirectory, FileName), TokenHasher.NewToken);
        // Not the caller's token: registration must not fail because one log request was cancelled.
        await tokens.UpsertAsync("system-apiserver-" + TokenHasher.Hash(token)[..12].ToLowerInvariant(), Role.ApiServer, token, CancellationToken.None);
        return token;
    }
}
