using System.Text.Json.Nodes;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Infrastructure;

/// <summary>Posts a manifest as kubectl does (Accept: application/json) and returns the 422 Status's causes by field.</summary>
internal static class InvalidCauses
{
    public static async Task<Dictionary<string, string>> PostAsync(HttpClient http, string url, string yaml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Http.Yaml(yaml) };
        request.Headers.Accept.ParseAdd("application/json");
        using var r = await http.SendAsync(request);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 422, $"expected 422, got {(int)r.StatusCode}: {text}");
        Assert.Equal("Invalid", (string?)JsonNode.Parse(text)!["reason"]);
        return JsonNode.Parse(text)!["details"]!["causes"]!.AsArray().GroupBy(e => (string)e!["field"]!)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => (string)e!["message"]!)));
    }
}
