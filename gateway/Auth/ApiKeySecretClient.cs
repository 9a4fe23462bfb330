using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>
/// Reads API-key Secrets from the apiserver: those labelled <c>gateway.platform.io/api-key</c>, with
/// <c>data.sha256</c> (hex SHA-256 of the key, base64 as Secret data is) and optional <c>data.roles</c> (comma list).
/// </summary>
internal sealed class ApiKeySecretClient(HttpClient http, IOptions<AuthOptions> options)
{
    private AuthOptions.ApiKeySecretSettings Settings => options.Value.ApiKeySecrets;

    public async Task<Dictionary<string, ApiKeyStore.StoredKey>> ListAsync(CancellationToken ct)
    {
        using var doc = await GetAsync($"api/v1/secrets?labelSelector={Uri.EscapeDataString(Settings.Label)}", ct).ConfigureAwait(false);
        var result = new Dictionary<string, ApiKeyStore.StoredKey>(StringComparer.Ordinal);
        foreach (var item in doc!.RootElement.GetProperty("items").EnumerateArray())
        {
            if (Parse(item) is { } parsed) result[parsed.Name] = parsed.Key;
        }
        return result;
    }

    /// <summary>The key of one Secret, or null when it is gone or no longer an API key.</summary>
    public async Task<(string Name, ApiKeyStore.StoredKey Key)?> GetAsync(string ns, string name, CancellationToken ct)
    {
        using var doc = await GetAsync($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", ct).ConfigureAwait(false);
        return doc is null ? null : Parse(doc.RootElement);
    }

    private async Task<JsonDocument?> GetAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(Settings.ApiServerUrl!.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Settings.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
    }

    private (string Name, ApiKeyStore.StoredKey Key)? Parse(JsonElement secret)
    {
        var meta = secret.GetProperty("metadata");
        var name = $"{(meta.TryGetProperty("namespace", out var n) ? n.GetString() : "default")}/{meta.GetProperty("name").GetString()}";
        if (!meta.TryGetProperty("labels", out var labels) || !labels.TryGetProperty(Settings.Label, out _)) return null;
        if (!secret.TryGetProperty("data", out var data) || !data.TryGetProperty("sha256", out var sha)) return null;
        try
        {
            var hash = Convert.FromHexString(Encoding.UTF8.GetString(Convert.FromBase64String(sha.GetString()!)).Trim());
            var roles = data.TryGetProperty("roles", out var r)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(r.GetString()!)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            return hash.Length == 32 ? (name, new ApiKeyStore.StoredKey(hash, roles)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
