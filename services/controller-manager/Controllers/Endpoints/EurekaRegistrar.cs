using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts.Registry;
using Platform.Discovery.Client.Transport;

namespace Platform.ControllerManager.Controllers.Endpoints;

/// <summary>
/// The three Eureka REST calls the endpoints controller needs (register, renew, cancel) against the discovery
/// servers at <c>ControllerManager:EurekaUrl</c>: each call goes to the next server when one is down (peers replicate
/// what one of them was told), and credentials in a URL go out as Basic auth, as Steeltoe does.
/// </summary>
internal sealed partial class EurekaRegistrar(HttpClient http, EurekaServers servers, ILogger<EurekaRegistrar> logger)
{
    public async Task RegisterAsync(EurekaInstance i, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["instance"] = new JsonObject
            {
                ["instanceId"] = i.InstanceId,
                ["app"] = i.App,
                ["hostName"] = i.Address,
                ["ipAddr"] = i.Address,
                ["vipAddress"] = i.Service.ToString(),
                ["secureVipAddress"] = i.Service.ToString(),
                ["status"] = "UP",
                ["port"] = new JsonObject { ["$"] = i.Port, ["@enabled"] = "true" },
                ["securePort"] = new JsonObject { ["$"] = 443, ["@enabled"] = "false" },
                ["homePageUrl"] = $"http://{i.Address}:{i.Port}/",
                ["statusPageUrl"] = $"http://{i.Address}:{i.Port}/",
                ["healthCheckUrl"] = $"http://{i.Address}:{i.Port}/",
                ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
                ["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = 30, ["durationInSecs"] = 90 },
                ["metadata"] = Metadata(i),
                ["lastDirtyTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
        };
        var json = body.ToJsonString();
        using var r = await SendAsync(HttpMethod.Post, $"apps/{Uri.EscapeDataString(i.App)}", () => new StringContent(json, Encoding.UTF8, "application/json"), ct);
        if (!r.IsSuccessStatusCode) throw new HttpRequestException($"registering {i.InstanceId} in {i.App}: {(int)r.StatusCode}", null, r.StatusCode);
    }

    private static JsonObject Metadata(EurekaInstance i)
    {
        var metadata = new JsonObject
        {
            [ServiceApplication.PodMetadata] = i.PodName,
            [ServiceApplication.NamespaceMetadata] = i.Service.Namespace,
            [ServiceApplication.ServiceMetadata] = i.Service.Service,
        };
        if (i.AllowRoutesFrom is { Length: > 0 } grant) metadata[ServiceApplication.AllowRoutesFromMetadata] = grant;
        return metadata;
    }

    /// <summary>False when the registry no longer knows the instance (it must be registered again).</summary>
    public async Task<bool> RenewAsync(EurekaInstance i, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Put, $"apps/{Uri.EscapeDataString(i.App)}/{Uri.EscapeDataString(i.InstanceId)}?status=UP", null, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        if (!r.IsSuccessStatusCode) throw new HttpRequestException($"renewing {i.InstanceId}: {(int)r.StatusCode}", null, r.StatusCode);
        return true;
    }

    public async Task CancelAsync(EurekaInstance i, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Delete, $"apps/{Uri.EscapeDataString(i.App)}/{Uri.EscapeDataString(i.InstanceId)}", null, ct);
        if (!r.IsSuccessStatusCode && r.StatusCode != HttpStatusCode.NotFound)
            throw new HttpRequestException($"cancelling {i.InstanceId}: {(int)r.StatusCode}", null, r.StatusCode);
    }

    /// <summary>Each server tried gets a request (and a body) of its own: a sent request's content is disposed with it.</summary>
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken ct) =>
        servers.SendAsync(http, () =>
        {
            var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content?.Invoke() };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, TimeSpan.FromSeconds(5), (url, reason) => LogServerFailed(logger, url, reason), ct);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Eureka server {Url} failed, trying the next one: {Reason}")]
    private static partial void LogServerFailed(ILogger logger, string url, string reason);
}
