using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Fuzz;

[Collection(ApiServerCollection.Name)]
public sealed class FuzzTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ThousandsOfMalformedRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var ns = await http.CreateNamespaceAsync();
        // Objects to patch, so merge patches reach validation instead of stopping at 404.
        await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")).ExpectAsync(201);
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("x"))).ExpectAsync(201);

        var generator = new MalformedRequests(seed: 4242, ns);
        const int total = 1200;
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        using var gate = new SemaphoreSlim(8);
        var tasks = Enumerable.Range(0, total).Select(async i =>
        {
            HttpRequestMessage request;
            lock (generator) request = generator.Next();
            await gate.WaitAsync();
            try
            {
                using var r = await http.SendAsync(request);
                var code = (int)r.StatusCode;
                var text = await r.Content.ReadAsStringAsync();
                lock (statuses) statuses[code] = statuses.GetValueOrDefault(code) + 1;
                if (code >= 500) lock (failures) failures.Add($"{request.Method} {request.RequestUri}: {code} {text[..Math.Min(300, text.Length)]}");
                else if (code >= 400 && !Explains(text)) lock (failures) failures.Add($"{request.Method} {request.RequestUri}: {code} without an explanation: {text[..Math.Min(300, text.Length)]}");
            }
            finally
            {
                gate.Release();
                request.Dispose();
            }
        });
        await Task.WhenAll(tasks);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(total, statuses.Values.Sum());
        Assert.True(statuses.Keys.Count(k => k >= 400) >= 5, "expected a variety of 4xx answers: " + string.Join(", ", statuses));
        using var ready = await http.GetAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private static bool Explains(string text)
    {
        try
        {
            var problem = JsonNode.Parse(text) as JsonObject;
            var detail = (string?)problem?["detail"] ?? (string?)problem?["title"];
            return !string.IsNullOrWhiteSpace(detail);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
