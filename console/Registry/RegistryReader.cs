using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Platform.Console.Registry;

/// <summary>One registered instance as the registry page shows it.</summary>
internal sealed record RegistryInstance(string App, string InstanceId, string Host, int Port, string Status, DateTimeOffset? LastRenewal);

/// <summary>
/// Reads discovery's <c>GET /eureka/apps</c> (JSON) with the platform's Basic credentials from
/// <see cref="ConsoleOptions.EurekaUrl"/>'s user info, as every Eureka client of the platform does. The lease age is
/// now minus <c>leaseInfo.lastRenewalTimestamp</c>.
/// </summary>
internal sealed class RegistryReader(IHttpClientFactory factory, IOptions<ConsoleOptions> options)
{
    public const string HttpClientName = "console-eureka";

    public bool Configured => !string.IsNullOrEmpty(options.Value.EurekaUrl);

    public async Task<IReadOnlyList<RegistryInstance>> ReadAsync(CancellationToken ct)
    {
        using var request = Apiserver.BasicCredentialUrl.Request(HttpMethod.Get, options.Value.EurekaUrl!, "apps");
        using var response = await factory.CreateClient(HttpClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"discovery answered {(int)response.StatusCode} {response.ReasonPhrase} to GET {request.RequestUri}", null, response.StatusCode);
        var root = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["applications"];
        var instances = new List<RegistryInstance>();
        foreach (var app in Many(root?["application"]))
            foreach (var i in Many(app?["instance"]))
            {
                if (i is not JsonObject o) continue;
                var port = o["port"] is JsonObject p ? Int(p["$"]) : Int(o["port"]);
                var renewal = Int64(o["leaseInfo"]?["lastRenewalTimestamp"]);
                instances.Add(new RegistryInstance(Str(o["app"]) ?? Str(app?["name"]) ?? "", Str(o["instanceId"]) ?? Str(o["hostName"]) ?? "",
                    Str(o["hostName"]) ?? Str(o["ipAddr"]) ?? "", port, Str(o["status"]) ?? "UNKNOWN",
                    renewal > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(renewal) : null));
            }
        return [.. instances.OrderBy(i => i.App, StringComparer.Ordinal).ThenBy(i => i.InstanceId, StringComparer.Ordinal)];
    }

    private static IEnumerable<JsonNode?> Many(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o => [o],
        _ => [],
    };

    private static string? Str(JsonNode? n) => n is JsonValue v ? v.ToString() : null;
    private static int Int(JsonNode? n) => int.TryParse(Str(n), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
    private static long Int64(JsonNode? n) => long.TryParse(Str(n), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
}

internal static class RegistryServiceCollectionExtensions
{
    public static IServiceCollection AddConsoleRegistry(this IServiceCollection services)
    {
        services.AddHttpClient(RegistryReader.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<RegistryReader>();
        return services;
    }
}
