using System.Net.Http.Headers;
using Platform.ApiServer.Client;

namespace Platform.Console.Apiserver;

/// <summary>
/// An <see cref="ApiClient"/> per caller: the console has no apiserver identity for pages, every call carries the
/// signed-in user's bearer token, so the apiserver's RBAC and audit log see the user, not the console. The handler
/// (connection pool, CA trust) is shared through <see cref="IHttpClientFactory"/>.
/// </summary>
internal sealed class ApiServerClients(IHttpClientFactory factory, TimeProvider time)
{
    public const string HttpClientName = "console-apiserver";

    public ApiClient For(string token)
    {
        var http = factory.CreateClient(HttpClientName);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Pages answer quickly or say why; a read is retried once on a 5xx or a dropped connection, not three times.
        return new ApiClient(http, new ApiClientOptions { MaxRetries = 1 }, time);
    }
}
