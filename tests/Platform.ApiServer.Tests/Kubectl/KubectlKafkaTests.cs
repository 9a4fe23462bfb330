using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// KafkaTopic and KafkaConnector (kafka.platform.io/v1) through kubectl: apply, get with their columns and short names,
/// describe, explain from the OpenAPI document, the status subresource, and 422s naming each invalid field.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlKafkaTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KafkaTopicsAndConnectors_ApplyGetDescribeExplain_WithStatus()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "kafka-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Equal("kafkatopic.kafka.platform.io/orders created\n", await kubectl.OkAsync("""
            apiVersion: kafka.platform.io/v1
            kind: KafkaTopic
            metadata: {name: orders}
            spec:
              topicName: shop.orders
              partitions: 6
              replicas: 3
              config: {retention.ms: "7200000", cleanup.policy: compact}
            """, "apply", "-f", "-"));
        Assert.Equal("kafkaconnector.kafka.platform.io/mirror created\n", await kubectl.OkAsync("""
            apiVersion: kafka.platform.io/v1
            kind: KafkaConnector
            metadata: {name: mirror}
            spec:
              class: io.confluent.connect.jdbc.JdbcSinkConnector
              tasksMax: 2
              state: paused
              config: {topics: platform.pods, connection.url: "jdbc:postgresql://127.0.0.1/db"}
            """, "apply", "-f", "-"));

        var topics = (await kubectl.OkAsync(null, "get", "kt")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+TOPIC\s+PARTITIONS\s+REPLICATION FACTOR\s+READY\s+AGE$", topics[0]);
        Assert.Matches(@"^orders\s+shop\.orders\s+6\s+3\s+\S+$", topics[1]);
        var connectors = (await kubectl.OkAsync(null, "get", "kafkaconnectors")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CONNECTOR CLASS\s+MAX TASKS\s+STATE\s+READY\s+AGE$", connectors[0]);
        Assert.Matches(@"^mirror\s+io\.confluent\.connect\.jdbc\.JdbcSinkConnector\s+2\s+<unknown>\s+\S+$", connectors[1]);

        // What the controllers write, through the status subresource; get and describe show it.
        await kubectl.OkAsync(null, "patch", "kafkatopic", "orders", "--subresource=status", "--type=merge", "-p",
            """{"status":{"observedGeneration":1,"topicName":"shop.orders","partitions":6,"replicas":3,"conditions":[{"type":"Ready","status":"True","reason":"Ready"}]}}""");
        await kubectl.OkAsync(null, "patch", "kctr", "mirror", "--subresource=status", "--type=merge", "-p",
            """{"status":{"tasksMax":2,"connectorStatus":{"name":"x.mirror","connector":{"state":"PAUSED","worker_id":"127.0.0.1:8083"},"tasks":[{"id":0,"state":"PAUSED","worker_id":"127.0.0.1:8083"}],"type":"sink"},"conditions":[{"type":"Ready","status":"True"}]}}""");
        Assert.Matches(@"(?m)^orders\s+shop\.orders\s+6\s+3\s+True\s+\S+$", await kubectl.OkAsync(null, "get", "kafkatopics.kafka.platform.io"));
        Assert.Matches(@"(?m)^mirror\s+\S+\s+2\s+PAUSED\s+True\s+\S+$", await kubectl.OkAsync(null, "get", "kctr"));
        Assert.Equal("127.0.0.1:8083", await kubectl.OkAsync(null, "get", "kctr", "mirror", "-o", "jsonpath={.status.connectorStatus.tasks[0].worker_id}"));
        var described = await kubectl.OkAsync(null, "describe", "kafkatopic", "orders");
        Assert.Contains("retention.ms:", described, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+Topic Name:\s+shop\.orders$", described);

        var explained = await kubectl.OkAsync(null, "explain", "kafkaconnectors.spec");
        Assert.Contains("tasksMax", explained, StringComparison.Ordinal);
        Assert.Contains("<string>", explained, StringComparison.Ordinal);
        Assert.Contains("TopicClaimedElsewhere", await kubectl.OkAsync(null, "explain", "kafkatopics"));

        // edit writes them and view reads them, as Strimzi's kinds aggregate into Kubernetes' roles.
        await kubectl.OkAsync(null, "create", "serviceaccount", "dev");
        await kubectl.OkAsync(null, "create", "serviceaccount", "reader");
        await kubectl.OkAsync(null, "create", "rolebinding", "dev", "--clusterrole=edit", $"--serviceaccount={ns}:dev");
        await kubectl.OkAsync(null, "create", "rolebinding", "reader", "--clusterrole=view", $"--serviceaccount={ns}:reader");
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "create", "kafkatopics.kafka.platform.io", $"--as=system:serviceaccount:{ns}:dev"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "delete", "kafkaconnectors.kafka.platform.io", $"--as=system:serviceaccount:{ns}:dev"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "list", "kafkaconnectors.kafka.platform.io", $"--as=system:serviceaccount:{ns}:reader"));
        var denied = await kubectl.RunAsync(null, "auth", "can-i", "create", "kafkatopics.kafka.platform.io", $"--as=system:serviceaccount:{ns}:reader");
        Assert.Equal("no\n", denied.Stdout);

        await kubectl.OkAsync(null, "delete", "kt", "orders");
        Assert.DoesNotContain("orders", await kubectl.OkAsync(null, "get", "kt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTopicsAndConnectors_Are422_NamingEachField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, $"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics", """
            apiVersion: kafka.platform.io/v1
            kind: KafkaTopic
            metadata: {name: bad}
            spec:
              topicName: "no/slash"
              partitions: 0
              replicas: -1
              config: {retention.ms: 7200000, compact: true}
            """);
        Assert.Contains("may contain only ASCII letters, digits, '.', '_' and '-'", errors["spec.topicName"]);
        Assert.Equal("Invalid value: 0: spec.partitions in body should be greater than or equal to 1", errors["spec.partitions"]);
        Assert.Equal("Invalid value: -1: spec.replicas in body should be greater than or equal to 1", errors["spec.replicas"]);
        Assert.Equal("Invalid value: \"integer\": spec.config.retention.ms in body must be of type string: \"integer\"", errors["spec.config.retention.ms"]);
        Assert.Contains("must be of type string: \"boolean\"", errors["spec.config.compact"]);

        errors = await InvalidCauses.PostAsync(http, $"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkaconnectors", """
            apiVersion: kafka.platform.io/v1
            kind: KafkaConnector
            metadata: {name: bad}
            spec:
              tasksMax: 0
              state: sleeping
              config: {batch.size: 10, tasks.max: "3"}
            """);
        Assert.Equal("Required value", errors["spec.class"]);
        Assert.Equal("Invalid value: 0: spec.tasksMax in body should be greater than or equal to 1", errors["spec.tasksMax"]);
        Assert.Equal("Unsupported value: \"sleeping\": supported values: \"running\", \"paused\", \"stopped\"", errors["spec.state"]);
        Assert.Contains("must be of type string", errors["spec.config.batch.size"]);
        Assert.Equal("Forbidden: set by spec.tasksMax", errors["spec.config.tasks.max"]);

        // The broker topic's name is fixed once created.
        await http.PostAsync($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics", Http.Yaml("""
            apiVersion: kafka.platform.io/v1
            kind: KafkaTopic
            metadata: {name: fixed}
            spec: {topicName: first}
            """)).ExpectAsync(201);
        using var r = await http.PatchAsync($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkatopics/fixed",
            new StringContent("""{"spec":{"topicName":"second"}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 422, text);
        Assert.Contains("spec.topicName", text, StringComparison.Ordinal);
    }
}
