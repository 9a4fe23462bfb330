using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl on storage: the <c>standard</c> StorageClass the apiserver makes and marks default, a claim without a class
/// getting it at admission, kubectl's columns for classes, claims and volumes, and Kubernetes' refusals.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlStorageTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Claim = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        """;

    private const string Volume = """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: manual-1
        spec:
          capacity:
            storage: 5Gi
          accessModes: [ReadWriteOnce, ReadOnlyMany]
          storageClassName: manual
          hostPath:
            path: /tmp/manual-1
        """;

    private const string BadVolume = """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: bad
        spec:
          accessModes: [ReadWriteSometimes]
          persistentVolumeReclaimPolicy: Recycle
          local:
            path: relative/dir
        """;

    [Fact]
    public async Task StandardClassIsTheDefault_AClaimGetsIt_ColumnsAreKubectls_AndBadSpecsAre422()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "st-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        var classes = Rows(await kubectl.OkAsync(null, "get", "storageclass"));
        Assert.Matches(@"^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$", classes[0]);
        Assert.Matches(@"^standard \(default\)\s+platform\.io/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\S+$", classes[1]);

        Assert.Equal("persistentvolumeclaim/data created\n", await kubectl.OkAsync(Claim, "apply", "-f", "-"));
        Assert.Equal("standard Pending Filesystem", await kubectl.OkAsync(null, "get", "pvc", "data", "-o", "jsonpath={.spec.storageClassName} {.status.phase} {.spec.volumeMode}"));
        var claims = Rows(await kubectl.OkAsync(null, "get", "pvc"));
        Assert.Matches(@"^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$", claims[0]);
        Assert.Matches(@"^data\s+Pending\s+standard\s+<unset>\s+\S+$", claims[1]);

        // The spec of a claim is fixed once made (only the size of a bound one may grow).
        var changed = await kubectl.RunAsync(null, "patch", "pvc", "data", "--type=merge", "-p", """{"spec":{"accessModes":["ReadWriteMany"]}}""");
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("spec is immutable after creation", changed.Stderr);

        Assert.Equal("persistentvolume/manual-1 created\n", await kubectl.OkAsync(Volume, "apply", "-f", "-"));
        var volumes = Rows(await kubectl.OkAsync(null, "get", "pv", "manual-1"));
        Assert.Matches(@"^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE$", volumes[0]);
        Assert.Matches(@"^manual-1\s+5Gi\s+RWO,ROX\s+Retain\s+Pending\s+manual\s+<unset>\s+\S+$", volumes[1]);

        var refused = await kubectl.RunAsync(BadVolume, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The PersistentVolume \"bad\" is invalid", refused.Stderr);
        Assert.Contains("spec.capacity.storage", refused.Stderr);
        Assert.Contains("Unsupported value: \"ReadWriteSometimes\"", refused.Stderr);
        Assert.Contains("the Recycle policy is deprecated", refused.Stderr);
        Assert.Contains("spec.local.path", refused.Stderr);
        Assert.Contains("Local volumes require node affinity", refused.Stderr);

        var badClass = await kubectl.RunAsync("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fast"},"provisioner":"x.io/y","volumeBindingMode":"Later"}""", "apply", "-f", "-");
        Assert.Contains("volumeBindingMode", badClass.Stderr);
        Assert.Contains("supported values: \"Immediate\", \"WaitForFirstConsumer\"", badClass.Stderr);

        // A claim that asks for no class ("") is left so: it binds only volumes without one.
        var noClass = Claim.Replace("name: data", "name: bare").Replace("  accessModes", "  storageClassName: \"\"\n  accessModes");
        await kubectl.OkAsync(noClass, "apply", "-f", "-");
        Assert.Equal("", await kubectl.OkAsync(null, "get", "pvc", "bare", "-o", "jsonpath={.spec.storageClassName}"));
    }

    private static string[] Rows(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
