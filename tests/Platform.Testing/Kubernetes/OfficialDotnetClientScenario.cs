using k8s;
using k8s.Models;
using Xunit;

namespace Platform.Testing.Kubernetes;

/// <summary>
/// The official .NET Kubernetes client (KubernetesClient on NuGet), configured from a kubeconfig as a user's program
/// would be: lists, creates, watches, patches and deletes pods and deployments in a new namespace <paramref name="ns"/>.
/// Run against a test apiserver (Platform.ApiServer.Tests) and against what <c>./platform up</c> wrote (Platform.Foundation.Tests).
/// </summary>
public static class OfficialDotnetClientScenario
{
    public static async Task RunAsync(string kubeconfigPath, string ns)
    {
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));

        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        Assert.Contains(ns, (await client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name));

        // A watch opened before the create sees it, as client code waiting for a pod would.
        using var watchCancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new TaskCompletionSource<V1Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: watchCancel.Token))
                if (type == WatchEventType.Added && pod.Metadata.Name == "web-1") seen.TrySetResult(pod);
        }, watchCancel.Token);

        var created = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-1", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "httpd", Image = "platform/busybox:latest" }] },
        }, ns);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(created.Metadata.Uid, (await seen.Task.WaitAsync(TimeSpan.FromSeconds(20))).Metadata.Uid);
        await watchCancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

        var patched = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"front"}}}""", V1Patch.PatchType.MergePatch), "web-1", ns);
        Assert.Equal("front", patched.Metadata.Labels["tier"]);
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "tier=front")).Items);

        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "httpd", Image = "platform/busybox:latest" }] },
                },
            },
        }, ns);
        Assert.Equal(2, deployment.Spec.Replicas);
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""
            {"spec":{"template":{"spec":{"containers":[{"name":"httpd","image":"platform/busybox:v2"}]}}}}
            """, V1Patch.PatchType.StrategicMergePatch), "web", ns);
        var scaled = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", ns);
        Assert.Equal(4, scaled.Spec.Replicas);
        var read = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        Assert.Equal(4, read.Spec.Replicas);
        Assert.Equal("platform/busybox:v2", Assert.Single(read.Spec.Template.Spec.Containers).Image);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);
        await client.CoreV1.DeleteNamespacedPodAsync("web-1", ns);
        // Where node agents run the pods, deletion is graceful: they are gone once the agents let go.
        await Eventually.WaitAsync(async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count == 0, TimeSpan.FromSeconds(60), "the pods deleted");
        Assert.Empty((await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items);
        var missing = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", ns));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
    }
}
