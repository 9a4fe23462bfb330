using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.EventBus.CloudEvents;

namespace Platform.Gateway.Configuration;

/// <summary>
/// The "list" of list-then-watch: at start, reads every Route from the apiserver
/// (<c>Gateway:Routes:ApiServerUrl</c>), so routes survive a broker that lost its log; <c>platform.routes</c>
/// events then keep them current. Retries with back-off until the apiserver answers.
/// </summary>
internal sealed partial class RouteResourceLister(
    HttpClient http,
    RouteListerSettings settings,
    RouteResourceHandler handler,
    ILogger<RouteResourceLister> logger,
    TimeProvider time) : BackgroundService
{
    public const string ListPath = "apis/gateway.platform.io/v1/routes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await ListAsync(stoppingToken);
                LogListed(logger, count, settings.ApiServerUrl);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogListFailed(logger, ex, settings.ApiServerUrl, delay.TotalMilliseconds);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    private async Task<int> ListAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.ApiServerUrl.TrimEnd('/') + "/"), ListPath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var list = await response.Content.ReadFromJsonAsync<RouteList>(PlatformJson.Options, ct)
            ?? throw new System.Text.Json.JsonException("empty Route list");
        foreach (var item in list.Items) handler.Apply(item, deleted: false, origin: "list");
        return list.Items.Count;
    }

    private sealed record RouteList(IReadOnlyList<RouteResource> Items);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "listed {Count} Route resources from {ApiServer}")]
    private static partial void LogListed(ILogger logger, int count, string apiServer);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "listing Routes from {ApiServer} failed; retrying in {DelayMs} ms")]
    private static partial void LogListFailed(ILogger logger, Exception ex, string apiServer, double delayMs);
}

/// <summary><c>Gateway:Routes:ApiServerUrl</c> and <c>Gateway:Routes:Token</c> (default env <c>PLATFORM_ADMIN_TOKEN</c>).</summary>
internal sealed record RouteListerSettings(string ApiServerUrl, string? Token);
