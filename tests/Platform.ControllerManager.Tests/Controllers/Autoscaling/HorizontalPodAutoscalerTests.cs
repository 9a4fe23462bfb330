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
        var up = await WaitReplicasAsync(3, "the autoscaler to run 3 burners");
        Assert.Equal(3, (await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{ns}/deployments/burner"))!.Spec.Replicas);
        Assert.True(up.Status!.CurrentMetrics![0].Resource!.Current!.AverageUtilization > 50, $"utilization {up.Status.CurrentMetrics[0].Resource!.Current!.AverageUtilization}%");
        Assert.NotNull(up.Status.LastScaleTime);
        Assert.Contains(up.Status.Conditions!, c => c is { Type: "ScalingActive", Status: "True", Reason: "ValidMetricFound" }
            && c.Message == "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)");
        Assert.Contains(up.Status.Conditions!, c => c is { Type: "ScalingLimited", Status: "True", Reason: "TooManyReplicas" });
        await WaitEventAsync("New size: 3; reason: cpu resource utilization (percentage of request) above target");

        // The burners stop; within the 10 s window (plus sampling) the autoscaler goes back to minReplicas.
        await File.WriteAllTextAsync(Path.Combine(_switch, "stop"), "");
        var down = await WaitReplicasAsync(1, "the autoscaler to go back to 1 replica");
        Assert.Equal(1, (await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{ns}/deployments/burner"))!.Spec.Replicas);
        Assert.True(down.Status!.CurrentMetrics![0].Resource!.Current!.AverageUtilization < 50, $"utilization {down.Status.CurrentMetrics[0].Resource!.Current!.AverageUtilization}%");
        await WaitEventAsync("New size: 1; reason: All metrics below target");
    }

    /// <summary>Waits for the autoscaler's status to show <paramref name="replicas"/>; on time-out, fails with its last status and events.</summary>
    private async Task<HorizontalPodAutoscaler> WaitReplicasAsync(int replicas, string what)
    {
        HorizontalPodAutoscaler? last = null;
        try
        {
            return await Eventually.WaitAsync(async () => (last = await HpaAsync()) is { Status: { } st } h && st.DesiredReplicas == replicas && st.CurrentReplicas == replicas ? h : null,
                TimeSpan.FromSeconds(150), what, TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException)
        {
            var events = (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events")).Select(e => $"{e.Reason}: {e.Message}");
            var status = System.Text.Json.JsonSerializer.Serialize(last?.Status, ResourceJson.Options);
            Assert.Fail($"timed out waiting for {what}; status {status}; events: {string.Join(" | ", events.TakeLast(15))}");
            throw;
        }
    }

    private Task<HorizontalPodAutoscaler?> HpaAsync() =>
        _scope.Admin.GetAsync<HorizontalPodAutoscaler>($"/apis/autoscaling/v2/namespaces/{_scope.Namespace}/horizontalpodautoscalers/burner");

    private Task WaitEventAsync(string message) =>
        Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events"))
                .Any(e => e is { Reason: "SuccessfulRescale", InvolvedObject.Kind: "HorizontalPodAutoscaler" } && e.Message == message),
            TimeSpan.FromSeconds(30), $"event SuccessfulRescale \"{message}\"");

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
