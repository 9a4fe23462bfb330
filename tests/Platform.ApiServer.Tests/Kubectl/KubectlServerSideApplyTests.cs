using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary><c>kubectl apply --server-side</c>: field managers, conflicts with another manager's change, and <c>--force-conflicts</c>.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlServerSideApplyTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ssa
          labels: {team: a}
        spec:
          replicas: 2
          minReadySeconds: 3
          selector:
            matchLabels: {app: ssa}
          template:
            metadata:
              labels: {app: ssa}
            spec:
              containers:
              - name: httpd
                image: platform/busybox:latest
        """;

    [Fact]
    public async Task ApplyServerSide_CreatesUpdatesRemovesDroppedFields_ConflictsWithScale_ForceTakesOver()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");

        Assert.Equal("deployment.apps/ssa serverside-applied\n", await kubectl.OkAsync(Deployment, "apply", "--server-side", "-f", "-"));
        var managed = await kubectl.OkAsync(null, "get", "deployment", "ssa", "--show-managed-fields", "-o",
            "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}");
        Assert.Equal("kubectl/Apply ", managed);

        // Dropping minReadySeconds and the label from the configuration removes them: they were only kubectl's.
        var smaller = Deployment.Replace("  minReadySeconds: 3\n", "").Replace("  labels: {team: a}\n", "");
        Assert.Equal("deployment.apps/ssa serverside-applied\n", await kubectl.OkAsync(smaller, "apply", "--server-side", "-f", "-"));
        Assert.Equal("2||", await kubectl.OkAsync(null, "get", "deployment", "ssa", "-o", "jsonpath={.spec.replicas}|{.spec.minReadySeconds}|{.metadata.labels.team}"));

        // kubectl scale takes spec.replicas; applying another value conflicts, with Kubernetes' message.
        Assert.Equal("deployment.apps/ssa scaled\n", await kubectl.OkAsync(null, "scale", "deployment/ssa", "--replicas=4"));
        var conflict = await kubectl.RunAsync(smaller, "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        // kubectl scale names no manager: the User-Agent's product, "kubectl", with operation Update (a manager apart
        // from kubectl's Apply), as kube-apiserver defaults it.
        Assert.Contains("error: Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas", conflict.Stderr);
        Assert.Equal("4", await kubectl.OkAsync(null, "get", "deployment", "ssa", "-o", "jsonpath={.spec.replicas}"));

        Assert.Equal("deployment.apps/ssa serverside-applied\n", await kubectl.OkAsync(smaller, "apply", "--server-side", "--force-conflicts", "-f", "-"));
        Assert.Equal("2", await kubectl.OkAsync(null, "get", "deployment", "ssa", "-o", "jsonpath={.spec.replicas}"));

        // Two managers: a second one applies only a label, and the first one's fields stay.
        Assert.Equal("deployment.apps/ssa serverside-applied\n", await kubectl.OkAsync(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\n  labels: {owner: ops}\n", "apply", "--server-side", "--field-manager=ops", "-f", "-"));
        Assert.Equal("ops|2|platform/busybox:latest", await kubectl.OkAsync(null, "get", "deployment", "ssa", "-o",
            "jsonpath={.metadata.labels.owner}|{.spec.replicas}|{.spec.template.spec.containers[0].image}"));

        // A dry run answers what would be stored and stores nothing.
        Assert.Contains("serverside-applied (server dry run)", await kubectl.OkAsync(smaller.Replace("replicas: 2", "replicas: 9"),
            "apply", "--server-side", "--dry-run=server", "-f", "-"));
        Assert.Equal("2", await kubectl.OkAsync(null, "get", "deployment", "ssa", "-o", "jsonpath={.spec.replicas}"));
    }
}
