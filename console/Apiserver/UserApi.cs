using Platform.ApiServer.Client;
using Platform.Console.Auth;

namespace Platform.Console.Apiserver;

/// <summary>The apiserver as the signed-in user of this request sees it.</summary>
internal sealed class UserApi(IHttpContextAccessor accessor, ApiServerClients clients)
{
    private ApiClient? _client;

    public string UserName => accessor.HttpContext?.User.Identity?.Name ?? "";

    public ApiClient Client => _client ??= clients.For(ConsoleUser.TokenOf(accessor.HttpContext?.User)
        ?? throw new InvalidOperationException("no signed-in user on this request"));
}
