using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>Reads of the Environment API as a namespace's client makes them, and what a test looks at in the answer.</summary>
internal static class EnvironmentRequests
{
    /// <summary>A client that authenticates with <paramref name="token"/> (a ServiceAccount's, reviewed by the apiserver).</summary>
    public static HttpClient CreateBearerClient(this ConfigServerHost host, string token)
    {
        var client = host.CreateClient(authenticated: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>GETs <paramref name="path"/>, naming namespace <paramref name="ns"/> when given; asserts the status, returns the body.</summary>
    public static async Task<string> SendAsync(this HttpClient client, string path, string? ns, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ns is not null) request.Headers.Add("X-Config-Namespace", ns);
        using var r = await client.SendAsync(request);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{path} as {ns}: expected {(int)expected}, got {(int)r.StatusCode}: {body}");
        return body;
    }

    public static List<string?> SourceNames(string environment) =>
        [.. Sources(environment).Select(s => s.GetProperty("name").GetString())];

    /// <summary>The value a Spring client would see: from the first property source that has <paramref name="key"/>.</summary>
    public static string? Property(string environment, string key) =>
        Sources(environment).Select(s => s.GetProperty("source")).Where(s => s.TryGetProperty(key, out _))
            .Select(s => s.GetProperty(key).GetString()).FirstOrDefault();

    private static IEnumerable<JsonElement> Sources(string environment) =>
        JsonDocument.Parse(environment).RootElement.GetProperty("propertySources").EnumerateArray();
}
