using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Autoscaling;

/// <summary>
/// The autoscaler end to end: a Deployment of busybox CPU burners on a real node agent whose usage sampler feeds the
/// apiserver's metrics.k8s.io, scaled up while they burn and back down once a file on a shared hostPath stops them.
/// Sync period, sampling interval and the scale-down window are shortened so the run stays within a few minutes.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class HorizontalPodAutoscalerTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private readonly string _switch = Directory.CreateTempSubdirectory("hpa-switch-").FullName;
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(_node, s => s["NodeAgent:Metrics:Interval"] = "00:00:02");
        await _scope.StartControllersAsync(s => s["ControllerManager:HorizontalPodAutoscalerSyncPeriod"] = "00:00:02");
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        Directory.Delete(_switch, recursive: true);
    }

    [Fact]
    public async Task CpuBurners_ScaleUpToMaxReplicas_ThenBackDownAfterTheStabilizationWindow_WithStatusAndEvents()
    {
        var ns = _scope.Namespace;
        // The switch is a hostPath volume, which the default baseline pod security level refuses.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{ns}", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["pod-security.kubernetes.io/enforce"] = "privileged" } },
        });
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Burners());
        await _scope.Admin.CreateAsync($"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", Autoscaler());

        // One pod at its 200m limit is 200% of its 100m request against a 50% target: 4 wanted, 3 allowed.
        var up = await AutoscalerWaits.ReplicasAsync(_scope, "burner", 3, "the autoscaler to run 3 burners", TimeSpan.FromSeconds(150));
        Assert.Equal(3, (await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{ns}/deployments/burner"))!.Spec.Replicas);
        Assert.True(up.Status!.CurrentMetrics![0].Resource!.Current!.AverageUtilization > 50, $"utilization {up.Status.CurrentMetrics[0].Resource!.Current!.AverageUtilization}%");
        Assert.NotNull(up.Status.LastScaleTime);
        Assert.Contains(up.Status.Conditions!, c => c is { Type: "ScalingActive", Status: "True", Reason: "ValidMetricFound" }
            && c.Message == "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)");
        Assert.Contains(up.Status.Conditions!, c => c is { Type: "ScalingLimited", Status: "True", Reason: "TooManyReplicas" });
        await AutoscalerWaits.RescaleEventAsync(_scope, "New size: 3; reason: cpu resource utilization (percentage of request) above target");

        // The burners stop; within the 10 s window (plus sampling) the autoscaler goes back to minReplicas.
        await File.WriteAllTextAsync(Path.Combine(_switch, "stop"), "");
        var down = await AutoscalerWaits.ReplicasAsync(_scope, "burner", 1, "the autoscaler to go back to 1 replica", TimeSpan.FromSeconds(150));
        Assert.Equal(1, (await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{ns}/deployments/burner"))!.Spec.Replicas);
        Assert.True(down.Status!.CurrentMetrics![0].Resource!.Current!.AverageUtilization < 50, $"utilization {down.Status.CurrentMetrics[0].Resource!.Current!.AverageUtilization}%");
        await AutoscalerWaits.RescaleEventAsync(_scope, "New size: 1; reason: All metrics below target");
    }

    private Deployment Burners() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new ObjectMeta { Name = "burner" },
        Spec = new DeploymentSpec
        {
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "burner" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "burner" } },
                Spec = new PodSpec
                {
                    NodeName = _node,
                    TerminationGracePeriodSeconds = 1,
                    Volumes = [new Volume { Name = "switch", HostPath = new HostPathVolumeSource { Path = _switch } }],
                    Containers =
                    [
                        new Container
                        {
                            Name = "burn",
                            Image = DockerFixture.BusyboxImage,
                            Command = ["sh", "-c", "while [ ! -f /switch/stop ]; do :; done; exec sleep 3600"],
                            VolumeMounts = [new VolumeMount { Name = "switch", MountPath = "/switch" }],
                            Resources = new ResourceRequirements { Requests = new ResourceList { ["cpu"] = "100m" }, Limits = new ResourceList { ["cpu"] = "200m" } },
                        },
                    ],
                },
            },
        },
    };

    private static HorizontalPodAutoscaler Autoscaler() => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new ObjectMeta { Name = "burner" },
        Spec = new HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "burner" },
            MinReplicas = 1,
            MaxReplicas = 3,
            Metrics = [new MetricSpec { Type = "Resource", Resource = new ResourceMetricSource { Name = "cpu", Target = new MetricTarget { Type = "Utilization", AverageUtilization = 50 } } }],
            Behavior = new HorizontalPodAutoscalerBehavior { ScaleDown = new HpaScalingRules { StabilizationWindowSeconds = 10 } },
        },
    };
}
