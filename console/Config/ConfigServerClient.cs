using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Console.Apiserver;
using Platform.Console.Pages;

namespace Platform.Console.Config;

/// <summary>The config server's answer for one application, profiles and label, with values as the page may show them.</summary>
internal sealed record ConfigEnvironment(string Application, IReadOnlyList<string> Profiles, string? Label, string? Version,
    IReadOnlyList<ConfigPropertySource> Sources);

/// <summary>One property source (<c>file:...</c>, <c>configmap:ns/name</c>, <c>secret:ns/name</c>), highest precedence first.</summary>
internal sealed record ConfigPropertySource(string Name, IReadOnlyList<ConfigProperty> Properties);

/// <summary>A property as shown: <see cref="Shown"/> is the value, or <c>******</c> / <c>encrypted</c> in its place.</summary>
internal sealed record ConfigProperty(string Key, string Shown, ConfigValueKind Kind);

internal enum ConfigValueKind { Plain, Masked, Encrypted }

/// <summary>The config server refused or failed a request: its status and the problem's <c>detail</c>.</summary>
internal sealed class ConfigServerException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The config server (<see cref="ConsoleOptions.ConfigServerUrl"/>, the platform's Basic credentials in the user info
/// as <c>CONFIG_SERVER_URL</c> has them). Reads use <c>?decrypt=false</c>, so a <c>{cipher}</c> value reaches the
/// console as cipher text and never as plain text; refresh is Spring Cloud Bus's <c>/actuator/busrefresh/{app}</c>.
/// </summary>
internal sealed class ConfigServerClient(IHttpClientFactory factory, IOptions<ConsoleOptions> options)
{
    public const string HttpClientName = "console-config-server";

    public bool Configured => !string.IsNullOrEmpty(options.Value.ConfigServerUrl);

    public async Task<ConfigEnvironment> ReadAsync(string application, string profiles, string? label, CancellationToken ct)
    {
        var path = $"{Uri.EscapeDataString(application)}/{Uri.EscapeDataString(profiles)}"
            + (string.IsNullOrEmpty(label) ? "" : "/" + Uri.EscapeDataString(label)) + "?decrypt=false";
        using var request = BasicCredentialUrl.Request(HttpMethod.Get, options.Value.ConfigServerUrl!, path);
        using var response = await factory.CreateClient(HttpClientName).SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw Refused(response, body, "GET /" + path);
        var root = JsonNode.Parse(body) as JsonObject ?? throw new ConfigServerException("the config server answered something that is not an Environment", 502);
        var sources = root["propertySources"] is JsonArray a
            ? a.OfType<JsonObject>().Select(s => Source(s.Str("name") ?? "", s["source"] as JsonObject)).ToList()
            : [];
        var names = root["profiles"] is JsonArray p ? p.Select(x => x?.ToString() ?? "").ToList() : [];
        return new ConfigEnvironment(root.Str("name") ?? application, names, root.Str("label"), root.Str("version"), sources);
    }

    /// <summary>Publishes <c>RefreshRemoteApplicationEvent</c> for <c>{application}:**</c> on the bus.</summary>
    public async Task RefreshAsync(string application, CancellationToken ct)
    {
        var path = "actuator/busrefresh/" + Uri.EscapeDataString(application);
        using var request = BasicCredentialUrl.Request(HttpMethod.Post, options.Value.ConfigServerUrl!, path);
        using var response = await factory.CreateClient(HttpClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw Refused(response, await response.Content.ReadAsStringAsync(ct), "POST /" + path);
    }

    private static ConfigPropertySource Source(string name, JsonObject? source) =>
        new(name, source is null ? [] : [.. source.Select(kv => ConfigValues.Present(name, kv.Key, kv.Value))]);

    private static ConfigServerException Refused(HttpResponseMessage response, string body, string what)
    {
        string? detail = null;
        try { detail = (JsonNode.Parse(body) as JsonObject)?.Str("detail"); }
        catch (System.Text.Json.JsonException) { }
        return new ConfigServerException($"the config server answered {(int)response.StatusCode} {response.ReasonPhrase} to {what}" +
            (detail is null ? "" : ": " + detail), (int)response.StatusCode);
    }
}
