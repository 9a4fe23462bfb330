using Npgsql;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// The recipe of docs/connect.md as written in deploy/examples/kafka-mirror-pods.yaml: applied as a KafkaConnector, the
/// JDBC sink on the real Connect worker mirrors the apiserver's pod and deployment events into Postgres tables. Only
/// what differs in a test is replaced: the apiserver's topic prefix and the database.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class KafkaMirrorRecipeTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task PodAndDeploymentEvents_BecomeRows_ThroughTheRecipesKafkaConnector()
    {
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        await using var connect = await ConnectProcess.StartAsync(kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"),
            s => s["ControllerManager:ConnectUrl"] = connect.ConnectUrl);
        var db = new NpgsqlConnectionStringBuilder(await pg.CreateDatabaseAsync("mirror"));

        var recipe = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "examples", "kafka-mirror-pods.yaml")))
            .Replace("topics: platform.pods,platform.deployments", $"topics: {apiServer.TopicPrefix}pods,{apiServer.TopicPrefix}deployments", StringComparison.Ordinal)
            .Replace("jdbc:postgresql://127.0.0.1:55432/mirror", $"jdbc:postgresql://{db.Host}:{db.Port}/{db.Database}", StringComparison.Ordinal)
            .Replace("connection.user: mirror", $"connection.user: {db.Username}", StringComparison.Ordinal)
            .Replace("    connection.password: mirror-secret\n", "", StringComparison.Ordinal);
        Assert.Contains(apiServer.TopicPrefix, recipe, StringComparison.Ordinal);
        (await admin.PostAsync(ResourceKinds.KafkaConnector.CollectionPath(ns), Http.Yaml(recipe))).EnsureSuccessStatusCode();

        await admin.CreateAsync(ResourceKinds.Pod.CollectionPath(ns), new Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = "mirrored", Labels = new() { ["app"] = "mirror" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        await admin.CreateAsync(ResourceKinds.Deployment.CollectionPath(ns), new Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new ObjectMeta { Name = "web" },
            Spec = new DeploymentSpec
            {
                Replicas = 0, Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } }, Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] } },
            },
        });

        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        async Task<string?> RowAsync(string sql)
        {
            try
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                return (string?)await cmd.ExecuteScalarAsync();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return null;
            }
        }
        var pod = await Eventually.WaitAsync(() => RowAsync($"SELECT metadata FROM platform_pods WHERE object_key = '{ns}/mirrored'"),
            TimeSpan.FromSeconds(90), "the pod's row in platform_pods");
        Assert.Contains("\"app\":\"mirror\"", pod, StringComparison.Ordinal);
        var kind = await RowAsync($"SELECT kind FROM platform_pods WHERE object_key = '{ns}/mirrored'");
        Assert.Equal("Pod", kind);
        var deployment = await Eventually.WaitAsync(() => RowAsync($"SELECT spec FROM platform_deployments WHERE object_key = '{ns}/web'"),
            TimeSpan.FromSeconds(90), "the deployment's row in platform_deployments");
        Assert.Contains("\"replicas\":0", deployment, StringComparison.Ordinal);

        // The connector's status on the resource says it runs.
        var connector = await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaConnector>(ResourceKinds.KafkaConnector.ObjectPath(ns, "platform-mirror")) is
            { Status.ConnectorStatus.Connector.State: "RUNNING" } c ? c : null, TimeSpan.FromSeconds(30), "platform-mirror RUNNING");
        Assert.Equal("sink", connector.Status!.ConnectorStatus!.Type);
    }
}
