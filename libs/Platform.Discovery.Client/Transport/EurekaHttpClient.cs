using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Registry;

namespace Platform.Discovery.Client.Transport;

/// <summary>
/// The Eureka REST calls, tried against each configured registry URL in turn until one answers (so a client
/// keeps working while one registry server is down), remembering the last one that did.
/// </summary>
internal sealed partial class EurekaHttpClient(IHttpClientFactory factory, IOptions<EurekaClientOptions> options, ILogger<EurekaHttpClient> logger)
{
    public const string HttpClientName = "eureka-client";
    private readonly EurekaServers _servers = new(options.Value.ServiceUrls());

    public async Task<HttpStatusCode> RegisterAsync(RegistrationInfo info, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"apps/{Uri.EscapeDataString(info.AppName)}")
        {
            Content = new StringContent(EurekaJson.RegistrationBody(info).ToJsonString(), Encoding.UTF8, "application/json"),
        }, ct);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> RenewAsync(RegistrationInfo info, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put,
            $"apps/{Uri.EscapeDataString(info.AppName)}/{Uri.EscapeDataString(info.InstanceId)}?status=UP&lastDirtyTimestamp={info.LastDirtyTimestamp}"), ct);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> CancelAsync(RegistrationInfo info, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete,
            $"apps/{Uri.EscapeDataString(info.AppName)}/{Uri.EscapeDataString(info.InstanceId)}"), ct);
        return response.StatusCode;
    }

    /// <summary>The full registry, or with <paramref name="delta"/> the recent changes.</summary>
    public async Task<EurekaApplications> GetApplicationsAsync(bool delta, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, delta ? "apps/delta" : "apps/");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, ct);
        response.EnsureSuccessStatusCode();
        return EurekaJson.ReadApplications(await response.Content.ReadFromJsonAsync<JsonNode>(ct));
    }

    private Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken ct) =>
        _servers.SendAsync(factory.CreateClient(HttpClientName), create, TimeSpan.FromSeconds(options.Value.EurekaServerConnectTimeoutSeconds),
            (url, reason) => LogServerFailed(logger, url, reason), ct);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Eureka server {Url} failed, trying the next one: {Reason}")]
    private static partial void LogServerFailed(ILogger logger, string url, string reason);
}
