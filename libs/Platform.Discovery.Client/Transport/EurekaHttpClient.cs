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
    private readonly IReadOnlyList<Uri> _urls = options.Value.ServiceUrls();
    private int _preferred;

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

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken ct)
    {
        var http = factory.CreateClient(HttpClientName);
        Exception? last = null;
        for (var attempt = 0; attempt < _urls.Count; attempt++)
        {
            var index = (Volatile.Read(ref _preferred) + attempt) % _urls.Count;
            var baseUrl = _urls[index];
            using var request = create();
            request.RequestUri = new Uri(new UriBuilder(baseUrl) { UserName = "", Password = "" }.Uri, request.RequestUri!.OriginalString);
            if (baseUrl.UserInfo.Length > 0)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(baseUrl.UserInfo))));
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.EurekaServerConnectTimeoutSeconds));
                var response = await http.SendAsync(request, timeout.Token);
                if ((int)response.StatusCode < 500)
                {
                    Volatile.Write(ref _preferred, index);
                    return response;
                }
                last = new HttpRequestException($"{baseUrl} answered {(int)response.StatusCode}");
                response.Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                last = ex;
            }
            LogServerFailed(logger, Redact(baseUrl), last!.Message);
        }
        throw new HttpRequestException($"no Eureka server answered ({string.Join(", ", _urls.Select(Redact))})", last);
    }

    private static string Redact(Uri u) => new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString();

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Eureka server {Url} failed, trying the next one: {Reason}")]
    private static partial void LogServerFailed(ILogger logger, string url, string reason);
}
