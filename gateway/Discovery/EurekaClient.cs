using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.Gateway.Discovery;

/// <summary>
/// Reads the registry over the Eureka REST API (<c>GET {eurekaUrl}/apps</c>, JSON). Accepts both the array and the
/// single-object forms Eureka uses for <c>application</c> and <c>instance</c>, and ports as numbers or strings.
/// </summary>
public sealed class EurekaClient(HttpClient http)
{
    public async Task<IReadOnlyList<ServiceInstance>> FetchAllAsync(string eurekaUrl, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(eurekaUrl, "/apps", cancellationToken).ConfigureAwait(false);
        return Parse(doc.RootElement);
    }

    /// <summary>
    /// <c>GET /apps/delta</c>: the recent changes (each with Eureka's <c>actionType</c> ADDED, MODIFIED or DELETED)
    /// and the reconcile hash of the whole registry after them.
    /// </summary>
    public async Task<RegistryDelta> FetchDeltaAsync(string eurekaUrl, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync(eurekaUrl, "/apps/delta", cancellationToken).ConfigureAwait(false);
        var changes = Instances(doc.RootElement).ToList();
        var hash = doc.RootElement.TryGetProperty("applications", out var apps) ? Str(apps, "apps__hashcode") ?? "" : "";
        return new RegistryDelta(changes, hash);
    }

    private async Task<JsonDocument> GetAsync(string eurekaUrl, string path, CancellationToken cancellationToken)
    {
        var url = new Uri(eurekaUrl.TrimEnd('/') + path);
        using var request = new HttpRequestMessage(HttpMethod.Get, url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // EUREKA_URL carries the registry's Basic credentials as user info, as Eureka clients expect.
        if (url.UserInfo.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static List<ServiceInstance> Parse(JsonElement root) => Instances(root).Select(c => c.Instance).ToList();

    private static IEnumerable<RegistryDelta.Change> Instances(JsonElement root)
    {
        if (!root.TryGetProperty("applications", out var apps)) yield break;
        foreach (var app in Many(apps, "application"))
        {
            var name = Str(app, "name") ?? "";
            foreach (var i in Many(app, "instance"))
            {
                var securePortEnabled = i.TryGetProperty("securePort", out var sp) && Str(sp, "@enabled") == "true";
                var port = securePortEnabled ? Port(sp) : i.TryGetProperty("port", out var p) ? Port(p) : null;
                var host = Str(i, "ipAddr") ?? Str(i, "hostName");
                var action = Str(i, "actionType") ?? "ADDED";
                if (port is null || host is null)
                {
                    // A DELETED entry needs only its id.
                    if (action == "DELETED" && Str(i, "instanceId") is { } deletedId)
                        yield return new RegistryDelta.Change(new ServiceInstance { App = (Str(i, "app") ?? name).ToUpperInvariant(), InstanceId = deletedId, Host = "", Port = 0, Status = "UNKNOWN" }, action);
                    continue;
                }
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                if (i.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object)
                {
                    foreach (var m in md.EnumerateObject())
                        if (m.Name != "@class") metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                }
                yield return new RegistryDelta.Change(new ServiceInstance
                {
                    App = (Str(i, "app") ?? name).ToUpperInvariant(),
                    InstanceId = Str(i, "instanceId") ?? $"{host}:{port}",
                    Host = host,
                    Port = port.Value,
                    Secure = securePortEnabled,
                    Status = Str(i, "status") ?? "UNKNOWN",
                    Metadata = metadata,
                    Timestamp = long.TryParse(Str(i, "lastUpdatedTimestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts) ? ts : 0,
                }, action);
            }
        }
    }

    private static IEnumerable<JsonElement> Many(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.Array => v.EnumerateArray().ToList(),
            JsonValueKind.Object => [v],
            _ => [],
        };
    }

    private static int? Port(JsonElement p)
    {
        var v = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("$", out var d) ? d : p;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
}
