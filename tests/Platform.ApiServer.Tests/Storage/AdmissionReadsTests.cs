using Npgsql;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

/// <summary>
/// What a pod's admission reads (its namespace's labels, its PriorityClass, the namespace's LimitRanges and quotas) is
/// read without locking, as Kubernetes' admission reads its caches: pod creates in one namespace do not queue on the
/// namespace's row, and a long transaction holding that row (or a PriorityClass's) does not stop them.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class AdmissionReadsTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task APodCreate_DoesNotWaitForItsNamespacesOrPriorityClassesRowLock_AndStillGetsWhatTheyHold()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PatchAsync($"/api/v1/namespaces/{ns}", Http.MergePatch("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"baseline"}}}""")).ExpectAsync(200);
        await http.PostAsync($"/api/v1/namespaces/{ns}/limitranges", Http.Yaml("""
            apiVersion: v1
            kind: LimitRange
            metadata: {name: defaults}
            spec:
              limits: [{type: Container, default: {memory: 64Mi}}]
            """)).ExpectAsync(201);

        // Another transaction holds both rows, as a long namespace or class update would.
        await using var blocker = new NpgsqlConnection(host.ConnectionString);
        await blocker.OpenAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand(
            "SELECT name FROM apiserver_objects WHERE (kind = 'Namespace' AND name = $1) OR (kind = 'PriorityClass' AND name = 'system-cluster-critical') FOR UPDATE", blocker, tx))
        {
            lockRows.Parameters.Add(new NpgsqlParameter { Value = ns });
            await using var reader = await lockRows.ExecuteReaderAsync();
            var locked = 0;
            while (await reader.ReadAsync()) locked++;
            Assert.Equal(2, locked);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var created = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: critical}
            spec:
              priorityClassName: system-cluster-critical
              containers: [{name: main, image: busybox}]
            """), timeout.Token).ExpectAsync(201);
        // Read in the one prefetch: the class's priority, the LimitRange's default; the namespace's enforce level refuses a privileged pod.
        Assert.Equal(2000000000, (int)created["spec"]!["priority"]!);
        Assert.Equal("64Mi", (string?)created["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);
        var refused = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: privileged}
            spec:
              containers: [{name: main, image: busybox, securityContext: {privileged: true}}]
            """), timeout.Token).ExpectAsync(403);
        Assert.Contains("violates PodSecurity \"baseline:latest\"", (string?)refused["detail"]);
        await tx.RollbackAsync();
    }
}
