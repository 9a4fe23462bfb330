using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Autoscaling;

/// <summary>
/// An autoscaler on a <c>Pods</c> metric end to end: busybox httpd pods on the pod network serve a Prometheus gauge
/// (a file on a shared hostPath the test rewrites), annotated <c>prometheus.io/scrape</c>; the apiserver's
/// custom.metrics.k8s.io scrapes each pod at its address, and the autoscaler scales on the pods' average.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class PodsMetricAutoscalingTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private readonly string _data = Directory.CreateTempSubdirectory("hpa-metrics-").FullName;
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync(s => s["ControllerManager:HorizontalPodAutoscalerSyncPeriod"] = "00:00:02");
        await _scope.StartAgentAsync(_node, s => s["NodeAgent:PodNetwork:Enabled"] = "true");
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task QueueLengthPerPod_AboveItsAverageTarget_ScalesUp_AndBelowIt_BackDown()
    {
        var ns = _scope.Namespace;
        await File.WriteAllTextAsync(Path.Combine(_data, "metrics"), "# TYPE queue_length gauge\nqueue_length 30\n");
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{ns}", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["pod-security.kubernetes.io/enforce"] = "privileged" } },
        });
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Workers());
        await _scope.Admin.CreateAsync($"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", Autoscaler());

        // 30 per pod against an average of 10: three times the pods, capped at 3.
        var up = await AutoscalerWaits.ReplicasAsync(_scope, "workers", 3, "the autoscaler to run 3 workers", TimeSpan.FromSeconds(120));
        var current = up.Status!.CurrentMetrics![0];
        Assert.Equal("Pods", current.Type);
        Assert.Equal("queue_length", current.Pods!.Metric!.Name);
        Assert.Equal("30", current.Pods.Current!.AverageValue);
        Assert.Contains(up.Status.Conditions!, c => c is { Type: "ScalingActive", Status: "True", Reason: "ValidMetricFound" }
            && c.Message == "the HPA was able to successfully calculate a replica count from pods metric queue_length");
        await AutoscalerWaits.RescaleEventAsync(_scope, "New size: 3; reason: pods metric queue_length above target");

        await File.WriteAllTextAsync(Path.Combine(_data, "metrics"), "# TYPE queue_length gauge\nqueue_length 1\n");
        var down = await AutoscalerWaits.ReplicasAsync(_scope, "workers", 1, "the autoscaler to go back to 1 worker", TimeSpan.FromSeconds(120));
        Assert.Equal("1", down.Status!.CurrentMetrics![0].Pods!.Current!.AverageValue);
        await AutoscalerWaits.RescaleEventAsync(_scope, "New size: 1; reason: All metrics below target");
    }

    private Deployment Workers() => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new ObjectMeta { Name = "workers" },
        Spec = new DeploymentSpec
        {
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "workers" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta
                {
                    Labels = new() { ["app"] = "workers" },
                    Annotations = new() { ["prometheus.io/scrape"] = "true", ["prometheus.io/port"] = "80" },
                },
                Spec = new PodSpec
                {
                    NodeName = _node, TerminationGracePeriodSeconds = 1,
                    Volumes = [new Volume { Name = "data", HostPath = new HostPathVolumeSource { Path = _data } }],
                    Containers =
                    [
                        new Container
                        {
                            Name = "web", Image = DockerFixture.BusyboxImage, Command = ["httpd", "-f", "-h", "/data", "-p", "80"],
                            Ports = [new ContainerPort { Name = "http", Port = 80 }],
                            VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data", ReadOnly = true }],
                            ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/metrics", Port = 80 }, PeriodSeconds = 1 },
                        },
                    ],
                },
            },
        },
    };

    private static HorizontalPodAutoscaler Autoscaler() => new()
    {
        ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler", Metadata = new ObjectMeta { Name = "workers" },
        Spec = new HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "workers" },
            MinReplicas = 1,
            MaxReplicas = 3,
            Metrics = [new MetricSpec { Type = "Pods", Pods = new PodsMetricSource { Metric = new MetricIdentifier { Name = "queue_length" }, Target = new MetricTarget { Type = "AverageValue", AverageValue = "10" } } }],
            Behavior = new HorizontalPodAutoscalerBehavior { ScaleDown = new HpaScalingRules { StabilizationWindowSeconds = 5 } },
        },
    };
}
