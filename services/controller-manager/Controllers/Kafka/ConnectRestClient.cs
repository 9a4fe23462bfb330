using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// The calls of the Kafka Connect REST API the KafkaConnector controller makes. A refusal is a
/// <see cref="ConnectRestException"/> carrying Connect's <c>error_code</c> and <c>message</c>.
/// </summary>
internal sealed class ConnectRestClient(HttpClient http)
{
    /// <summary>An <see cref="HttpClient"/> for <paramref name="url"/>, its user info turned into Basic credentials.</summary>
    public static void Configure(HttpClient http, string url)
    {
        var uri = new Uri(url);
        http.BaseAddress = new UriBuilder(uri) { UserName = "", Password = "", Path = uri.AbsolutePath.TrimEnd('/') + "/" }.Uri;
        if (uri.UserInfo is { Length: > 0 } info)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(info))));
        http.Timeout = TimeSpan.FromSeconds(30);
    }

    private static string Path(string connector, string? tail = null) => "connectors/" + Uri.EscapeDataString(connector) + (tail is null ? "" : "/" + tail);

    /// <summary>The connector's configuration, or null when the workers have no such connector.</summary>
    public async Task<Dictionary<string, string>?> GetConfigAsync(string connector, CancellationToken ct)
    {
        using var r = await http.GetAsync(Path(connector, "config"), ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, ct);
        return await r.Content.ReadFromJsonAsync<Dictionary<string, string>>(ct);
    }

    /// <summary><c>PUT /connectors/{name}/config</c>: creates or updates the connector.</summary>
    public async Task PutConfigAsync(string connector, IReadOnlyDictionary<string, string> config, CancellationToken ct)
    {
        using var r = await http.PutAsJsonAsync(Path(connector, "config"), config, ct);
        await EnsureAsync(r, ct);
    }

    /// <summary>The connector's status, or null when the workers have no such connector.</summary>
    public async Task<ConnectorStatusBody?> GetStatusAsync(string connector, CancellationToken ct)
    {
        using var r = await http.GetAsync(Path(connector, "status"), ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, ct);
        return await r.Content.ReadFromJsonAsync<ConnectorStatusBody>(ResourceJson.Options, ct);
    }

    /// <summary><c>PUT /connectors/{name}/pause</c>, <c>/resume</c> or <c>/stop</c>.</summary>
    public async Task SetStateAsync(string connector, string verb, CancellationToken ct)
    {
        using var r = await http.PutAsync(Path(connector, verb), null, ct);
        await EnsureAsync(r, ct);
    }

    /// <summary>Deletes the connector; no error when it is already gone.</summary>
    public async Task DeleteAsync(string connector, CancellationToken ct)
    {
        using var r = await http.DeleteAsync(Path(connector), ct);
        if (r.StatusCode != HttpStatusCode.NotFound) await EnsureAsync(r, ct);
    }

    private static async Task EnsureAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode) return;
        var text = await r.Content.ReadAsStringAsync(ct);
        string message;
        try { message = (string?)JsonNode.Parse(text)?["message"] ?? text; }
        catch (JsonException) { message = text; }
        throw new ConnectRestException(r.StatusCode, message);
    }
}

/// <summary>The Connect REST API refused a call: its status and the <c>message</c> of its error body.</summary>
internal sealed class ConnectRestException(HttpStatusCode status, string message)
    : HttpRequestException($"Kafka Connect answered {(int)status}: {message}", null, status)
{
    public string ConnectMessage { get; } = message;

    /// <summary>The request itself was wrong (an invalid config): retrying the same request cannot help.</summary>
    public bool IsClientError => StatusCode is { } s && (int)s is >= 400 and < 500 && s is not (HttpStatusCode.Conflict or HttpStatusCode.Unauthorized);
}
