using Platform.NodeAgent.StaticPods;

namespace Platform.NodeAgent.Tests.StaticPods;

/// <summary>How manifest files become static pods: naming, binding, hashing, and what is refused.</summary>
public sealed class StaticPodManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("static-manifests-").FullName;

    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etcd
          labels: {tier: control-plane}
        spec:
          containers:
            - name: etcd
              image: busybox
        """;

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);

    [Fact]
    public void PodDocument_BecomesAStaticPodOfTheNode_NamedAfterIt_BoundToIt_WithItsHashAsUid()
    {
        Write("etcd.yaml", Pod);

        var (pods, problems) = StaticPodManifests.Load(_folder, "node-1");

        Assert.Empty(problems);
        var pod = Assert.Single(pods);
        Assert.Equal(("etcd-node-1", "default", "node-1"), (pod.Pod.Metadata.Name, pod.Pod.Metadata.Namespace, pod.Pod.Spec.NodeName));
        Assert.Equal(pod.Hash, pod.Pod.Metadata.Uid);
        Assert.Equal(pod.Hash, pod.Pod.Metadata.Annotations!["kubernetes.io/config.hash"]);
        Assert.Equal("file", pod.Pod.Metadata.Annotations["kubernetes.io/config.source"]);
        Assert.False(pod.Pod.Metadata.Annotations.ContainsKey("kubernetes.io/config.mirror"));
        Assert.Equal("control-plane", pod.Pod.Metadata.Labels!["tier"]);
        Assert.Equal("etcd.yaml", pod.File);
    }

    [Fact]
    public void Hash_DependsOnContentAndNode_NotOnFormatting()
    {
        Write("a.yaml", Pod);
        var first = Assert.Single(StaticPodManifests.Load(_folder, "node-1").Pods).Hash;
        Write("a.yaml", "# a comment\n" + Pod.Replace("{tier: control-plane}", "\n    tier: control-plane", StringComparison.Ordinal));
        Assert.Equal(first, Assert.Single(StaticPodManifests.Load(_folder, "node-1").Pods).Hash);
        Assert.NotEqual(first, Assert.Single(StaticPodManifests.Load(_folder, "node-2").Pods).Hash);
        Write("a.yaml", Pod.Replace("image: busybox", "image: busybox:1.37", StringComparison.Ordinal));
        Assert.NotEqual(first, Assert.Single(StaticPodManifests.Load(_folder, "node-1").Pods).Hash);
    }

    [Fact]
    public void RefusedManifests_AreReportedByFileAndReason_AndTheRestStillLoads()
    {
        Write("ok.yml", Pod);
        Write("dup.yaml", Pod.Replace("image: busybox", "image: other", StringComparison.Ordinal));
        Write("secret.yaml", Pod.Replace("etcd\n  labels", "s\n  labels", StringComparison.Ordinal) + "\n  volumes: [{name: s, secret: {secretName: x}}]\n");
        Write("other-node.json", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"o"},"spec":{"nodeName":"node-9","containers":[{"name":"c","image":"busybox"}]}}""");
        Write("bad-name.yaml", Pod.Replace("name: etcd\n  labels", "name: Etcd_1\n  labels", StringComparison.Ordinal));
        Write("apps.yaml", "apiVersion: apps/v1\nkind: Pod\nmetadata: {name: a}\n");
        Write("notes.txt", "not a manifest");
        Write(".swp.yaml", "{");

        var (pods, problems) = StaticPodManifests.Load(_folder, "node-1");

        Assert.Equal("etcd-node-1", Assert.Single(pods).Pod.Metadata.Name);
        var reasons = problems.ToDictionary(p => p.File, p => p.Reason);
        Assert.Equal(["apps.yaml", "bad-name.yaml", "ok.yml", "other-node.json", "secret.yaml"], reasons.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("static pod default/etcd-node-1 is already defined by dup.yaml", reasons["ok.yml"]);
        Assert.Contains("may not refer to ConfigMaps or Secrets", reasons["secret.yaml"]);
        Assert.Equal("spec.nodeName 'node-9' names another node", reasons["other-node.json"]);
        Assert.StartsWith("metadata.name 'Etcd_1'", reasons["bad-name.yaml"]);
        Assert.StartsWith("apiVersion must be v1", reasons["apps.yaml"]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
