using System.Globalization;
using System.Text;

namespace Platform.Bench.Console;

/// <summary>
/// The cluster the pages are timed on, written straight to the apiserver without Docker: one fake node with
/// capacity, <c>pods</c> pods bound to it (<c>spec.nodeName</c>), each with a Running status and a Ready container as
/// the node agent would report it, spread over ten namespaces.
/// </summary>
internal static class Seed
{
    public const string Node = "bench-fake-node";
    public const int Namespaces = 10;

    public static async Task RunAsync(HttpClient admin, int pods)
    {
        await Send(admin, HttpMethod.Post, "/api/v1/nodes", $$$$"""
            {"metadata":{"name":"{{{{Node}}}}"},"status":{"capacity":{"cpu":"512","memory":"2048Gi","pods":"2000"},
             "allocatable":{"cpu":"512","memory":"2048Gi","pods":"2000"},"conditions":[{"type":"Ready","status":"True"}]}}
            """);
        for (var n = 0; n < Namespaces; n++)
            await Send(admin, HttpMethod.Post, "/api/v1/namespaces", $$$$"""{"metadata":{"name":"bench-{{{{n}}}}"}}""");
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, pods).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var ns = $"bench-{i % Namespaces}";
                var name = $"web-{i.ToString("0000", CultureInfo.InvariantCulture)}";
                await Send(admin, HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", $$$$"""
                    {"metadata":{"name":"{{{{name}}}}","labels":{"app":"web","shard":"s{{{{i % 10}}}}"}},
                     "spec":{"nodeName":"{{{{Node}}}}","containers":[{"name":"main","image":"nginx:1.25","resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}
                    """);
                await Send(admin, HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/{name}/status", $$$$"""
                    {"status":{"phase":"Running","podIP":"10.88.{{{{i / 250}}}}.{{{{i % 250 + 2}}}}","startTime":"2026-12-06T00:00:00Z",
                     "conditions":[{"type":"Ready","status":"True"}],
                     "containerStatuses":[{"name":"main","ready":true,"restartCount":{{{{i % 3}}}},"image":"nginx:1.25","imageID":"","state":{"running":{"startedAt":"2026-12-06T00:00:00Z"}}}]}}
                    """, "application/merge-patch+json");
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task Send(HttpClient http, HttpMethod method, string path, string json, string type = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, type) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
