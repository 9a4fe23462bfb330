using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kafka;

/// <summary>
/// An integration written with kafkajs reads the pods topic as published: every codec an installed kafkajs decodes
/// (it ships gzip only; lz4, snappy and zstd need extra packages), CloudEvents binary-mode headers, Kubernetes times.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KafkajsConsumerTests(PostgresFixture pg, KafkaFixture kafka, KafkajsPackage kafkajs) : IClassFixture<KafkajsPackage>
{
    private const string Rfc3339Seconds = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$";

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    public async Task Kafkajs_ConsumesPodEvents_WithCloudEventsHeaders_AndUtcTimes(string? compression)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s => s["Kafka:Compression"] = compression);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        foreach (var name in new[] { "web-1", "web-2" })
            await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(
                $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: main\n    image: platform/busybox:latest\n")).ExpectAsync(201);
        await Eventually.WaitAsync(async () => await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE published_at IS NULL") == 0,
            TimeSpan.FromSeconds(15), "the outbox to drain");

        var result = await kafkajs.RunScriptAsync("consume.js", KafkajsPackage.ConsumeScript,
            [kafka.BootstrapServers, host.Topic(ResourceKinds.Pod), "2"], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"kafkajs exited {result.ExitCode}: {result.Stderr}");
        var records = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([$"{ns}/web-1", $"{ns}/web-2"], records.Select(r => (string)r["key"]!).Order());
        foreach (var record in records)
        {
            var headers = record["headers"]!;
            var name = ((string)record["key"]!).Split('/')[1];
            Assert.Equal("1.0", (string?)headers["ce_specversion"]);
            Assert.Equal("io.platform.pod.created", (string?)headers["ce_type"]);
            Assert.Equal("/apiserver", (string?)headers["ce_source"]);
            Assert.Equal($"pods/{ns}/{name}", (string?)headers["ce_subject"]);
            Assert.True(Guid.TryParse((string?)headers["ce_id"], out _), $"ce_id {(string?)headers["ce_id"]} is a GUID");
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", (string?)headers["ce_time"]);
            var pod = record["value"]!;
            Assert.Equal(name, (string?)pod["metadata"]!["name"]);
            Assert.Equal((string?)headers["ce_resourceversion"], (string?)pod["metadata"]!["resourceVersion"]);
            Assert.Matches(Rfc3339Seconds, (string?)pod["metadata"]!["creationTimestamp"]);
        }
    }
}
