using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.Ctl.Tests;

/// <summary>
/// <c>platformctl kafka topics</c>, seed 004's console workflow (create, list, describe a topic) plus alter and delete,
/// on KafkaTopic resources. No controller runs here: the status the topic controller would write is patched in.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class KafkaTopicsCommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Topics_CreateListDescribeAlterDelete_AsKafkaTopicResources()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var ctl = new CtlRunner(host);

        var created = await ctl.RunAsync($"-n {ns} kafka topics create quickstart-events --partitions 1");
        Assert.Equal((0, "Created topic quickstart-events (kafkatopic.kafka.platform.io/quickstart-events).\n"), (created.Exit, created.Out));
        // A broker name that is no resource name gets a resource of its own name and spec.topicName.
        created = await ctl.RunAsync($"-n {ns} kafka topics create Orders_V2 --partitions 6 --replication-factor 3 --config retention.ms=7200000 --config cleanup.policy=compact");
        Assert.Equal(0, created.Exit);
        var orders = await admin.GetAsync<JsonObject>($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics/orders-v2");
        Assert.Equal(("Orders_V2", 6, "7200000"), ((string?)orders!["spec"]!["topicName"], (int)orders["spec"]!["partitions"]!, (string?)orders["spec"]!["config"]!["retention.ms"]));

        var list = (await ctl.RunAsync($"-n {ns} kafka topics list")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+TOPIC\s+PARTITIONS\s+REPLICATION FACTOR\s+READY\s+AGE$", list[0]);
        Assert.True(list.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^kafkatopic\.kafka\.platform\.io/orders-v2\s+Orders_V2\s+6\s+3\s+\S+\s*$")), string.Join("\n", list));
        var json = JsonNode.Parse((await ctl.RunAsync($"-n {ns} kafka topics list -o json")).Out)!;
        Assert.Equal(2, json["items"]!.AsArray().Count);

        // What the topic controller writes once the broker has the topic.
        using (var r = await admin.PatchAsync($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics/orders-v2/status", new StringContent(
            """{"status":{"topicName":"Orders_V2","partitions":6,"replicas":3,"conditions":[{"type":"Ready","status":"True","reason":"Ready"}]}}""",
            System.Text.Encoding.UTF8, "application/merge-patch+json")))
            r.EnsureSuccessStatusCode();
        var described = await ctl.RunAsync($"-n {ns} kafka topics describe Orders_V2");
        Assert.Equal(0, described.Exit);
        Assert.Matches(@"(?m)^Topic:\s+Orders_V2$", described.Out);
        Assert.Matches(@"(?m)^PartitionCount:\s+6 \(spec 6\)$", described.Out);
        Assert.Matches(@"(?m)^ReplicationFactor:\s+3 \(spec 3\)$", described.Out);
        Assert.Matches(@"(?m)^Configs:\s+cleanup\.policy=compact,retention\.ms=7200000$", described.Out);
        Assert.Matches(@"(?m)^Ready:\s+True \(Ready\)$", described.Out);
        Assert.Contains("kind: KafkaTopic", (await ctl.RunAsync($"-n {ns} kafka topics describe Orders_V2 -o yaml")).Out);

        var altered = await ctl.RunAsync($"-n {ns} kafka topics alter Orders_V2 --partitions 8 --config retention.ms=60000 --delete-config cleanup.policy");
        Assert.Equal("kafkatopic.kafka.platform.io/orders-v2 altered\n", altered.Out);
        orders = await admin.GetAsync<JsonObject>($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics/orders-v2");
        Assert.Equal(8, (int)orders!["spec"]!["partitions"]!);
        Assert.Equal("""{"retention.ms":"60000"}""", orders["spec"]!["config"]!.ToJsonString());
        var refused = await ctl.RunAsync($"-n {ns} kafka topics alter Orders_V2 --partitions 0");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("spec.partitions", refused.Err);

        Assert.Equal("kafkatopic.kafka.platform.io/quickstart-events deleted\n", (await ctl.RunAsync($"-n {ns} kafka topics delete quickstart-events")).Out);
        var missing = await ctl.RunAsync($"-n {ns} kafka topics describe quickstart-events");
        Assert.Equal(1, missing.Exit);
        Assert.Contains($"topic \"quickstart-events\" not found in namespace \"{ns}\"", missing.Err);
    }
}
