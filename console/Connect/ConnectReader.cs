using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Console.Pages;

namespace Platform.Console.Connect;

/// <summary>A task of a connector: id, state, the worker it runs on, and its failure trace when it failed.</summary>
internal sealed record ConnectTask(int Id, string State, string? WorkerId, string? Trace);

/// <summary>A connector on the Connect workers: type, state, worker, tasks, and its config with secret-looking values masked.</summary>
internal sealed record ConnectConnector(string Name, string Type, string State, string? WorkerId, string? Trace,
    IReadOnlyList<ConnectTask> Tasks, IReadOnlyList<KeyValuePair<string, string>> Config);

/// <summary>
/// Reads the Connect REST API's <c>GET /connectors?expand=status&amp;expand=info</c> with the platform's Basic
/// credentials from <see cref="ConsoleOptions.ConnectUrl"/>'s user info (as <c>CONNECT_URL</c> has them).
/// </summary>
internal sealed class ConnectReader(IHttpClientFactory factory, IOptions<ConsoleOptions> options)
{
    public const string HttpClientName = "console-connect";

    public bool Configured => !string.IsNullOrEmpty(options.Value.ConnectUrl);

    public async Task<IReadOnlyList<ConnectConnector>> ReadAsync(CancellationToken ct)
    {
        using var request = Apiserver.BasicCredentialUrl.Request(HttpMethod.Get, options.Value.ConnectUrl!, "connectors?expand=status&expand=info");
        using var response = await factory.CreateClient(HttpClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Connect answered {(int)response.StatusCode} {response.ReasonPhrase} to GET {request.RequestUri}", null, response.StatusCode);
        var connectors = new List<ConnectConnector>();
        if (JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) is not JsonObject root) return connectors;
        foreach (var (name, entry) in root.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var status = entry?["status"];
            var info = entry?["info"];
            var config = info?["config"] is JsonObject c
                ? c.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, Secrets.Mask(e.Key, e.Value?.ToString() ?? ""))).ToList()
                : [];
            connectors.Add(new ConnectConnector(name, status.Str("type") ?? info.Str("type") ?? "", status.Str("connector", "state") ?? "UNKNOWN",
                status.Str("connector", "worker_id"), status.Str("connector", "trace"),
                [.. status.Objects("tasks").Select(t => new ConnectTask((int)t.Int("id"), t.Str("state") ?? "UNKNOWN", t.Str("worker_id"), t.Str("trace")))],
                config));
        }
        return connectors;
    }
}

/// <summary>Which configuration values the console never shows.</summary>
internal static class Secrets
{
    private static readonly string[] Words = ["password", "secret", "token", "key", "credential"];
    public const string Masked = "******";

    /// <summary>
    /// A key whose last segment (after the last <c>.</c>) names a password, secret, token, key or credential
    /// (<c>connection.password</c>, <c>aws.secret.access.key</c>, <c>api_token</c>) has its value masked;
    /// <c>key.converter</c> names a class, not a key, and is shown.
    /// </summary>
    public static bool IsSecret(string key)
    {
        var last = key[(key.LastIndexOf('.') + 1)..];
        return Words.Any(w => last.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    public static string Mask(string key, string value) => IsSecret(key) && value.Length > 0 ? Masked : value;
}

internal static class ConnectServiceCollectionExtensions
{
    public static IServiceCollection AddConsoleConnect(this IServiceCollection services)
    {
        services.AddHttpClient(ConnectReader.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ConnectReader>();
        return services;
    }
}
