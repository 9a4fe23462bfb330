using System.Net.Http.Headers;
using System.Text;

namespace Platform.Console.Apiserver;

/// <summary>
/// A platform URL with its Basic credentials in the user info (<c>http://user:pass@host:8761/eureka</c>, as
/// <c>EUREKA_URL</c>, <c>CONFIG_SERVER_URL</c> and <c>CONNECT_URL</c> have them): requests go to the URL without
/// them and carry them as an <c>Authorization: Basic</c> header.
/// </summary>
internal static class BasicCredentialUrl
{
    public static HttpRequestMessage Request(HttpMethod method, string configured, string relative)
    {
        var baseUrl = new Uri(configured.TrimEnd('/') + "/");
        var request = new HttpRequestMessage(method, new Uri(new UriBuilder(baseUrl) { UserName = "", Password = "" }.Uri, relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (baseUrl.UserInfo.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(baseUrl.UserInfo))));
        return request;
    }
}
