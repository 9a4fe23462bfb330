using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>kubectl on HorizontalPodAutoscalers (autoscaling/v2): <c>autoscale</c>, the columns, Kubernetes' defaults and refusals.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlHpaTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string BadHpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: bad
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment}
          minReplicas: 0
          maxReplicas: 0
          metrics:
          - type: Resource
            resource:
              name: cpu
              target: {type: Utilization, averageUtilization: -5}
          - type: Pods
          - type: Magic
          - type: Resource
            resource:
              name: memory
              target: {type: AverageValue, averageValue: 100Mi, averageUtilization: 50}
          behavior:
            scaleUp:
              stabilizationWindowSeconds: 4000
              selectPolicy: Sometimes
              policies: [{type: Replicas, value: 0, periodSeconds: 1801}]
        """;

    private const string DefaultedHpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: defaulted
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 3
          behavior:
            scaleDown: {stabilizationWindowSeconds: 30}
        """;

    [Fact]
    public async Task Autoscale_GetPrintsKubectlColumns_DefaultsApply_AndBadSpecsAre422()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "hpa-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);
        await kubectl.OkAsync(null, "create", "deployment", "web", "--image=busybox");

        Assert.Equal("horizontalpodautoscaler.autoscaling/web autoscaled\n",
            await kubectl.OkAsync(null, "autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5"));
        var rows = (await kubectl.OkAsync(null, "get", "hpa")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$", rows[0]);
        Assert.Matches(@"^web\s+Deployment/web\s+cpu: <unknown>/50%\s+1\s+5\s+0\s+\S+$", rows[1]);
        Assert.Equal("Resource cpu Utilization 50", await kubectl.OkAsync(null, "get", "horizontalpodautoscalers.autoscaling", "web", "-o",
            "jsonpath={.spec.metrics[0].type} {.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.type} {.spec.metrics[0].resource.target.averageUtilization}"));

        // Kubernetes' defaults: one replica at least, 80% CPU, and both directions' rules once a behavior is given.
        await kubectl.OkAsync(DefaultedHpa, "apply", "-f", "-");
        Assert.Equal("1 cpu 80 0 Max Percent 100 15 Pods 4 15 30 Max Percent 100 15", await kubectl.OkAsync(null, "get", "hpa", "defaulted", "-o",
            "jsonpath={.spec.minReplicas} {.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.averageUtilization} " +
            "{.spec.behavior.scaleUp.stabilizationWindowSeconds} {.spec.behavior.scaleUp.selectPolicy} " +
            "{range .spec.behavior.scaleUp.policies[*]}{.type} {.value} {.periodSeconds} {end}" +
            "{.spec.behavior.scaleDown.stabilizationWindowSeconds} {.spec.behavior.scaleDown.selectPolicy} " +
            "{range .spec.behavior.scaleDown.policies[*]}{.type} {.value} {.periodSeconds}{end}"));

        var bad = await kubectl.RunAsync(BadHpa, "apply", "-f", "-");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("The HorizontalPodAutoscaler \"bad\" is invalid", bad.Stderr);
        foreach (var expected in new[]
                 {
                     "spec.scaleTargetRef.name: Required value",
                     "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
                     "spec.maxReplicas: Invalid value: 0: must be greater than 0",
                     "spec.metrics[0].resource.target.averageUtilization: Invalid value: -5: must be greater than 0",
                     "spec.metrics[1].pods: Required value: must populate information for the given metric source",
                     "spec.metrics[2].type: Unsupported value: \"Magic\"",
                     "spec.metrics[3].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization",
                     "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
                     "spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Sometimes\"",
                     "spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Replicas\"",
                     "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
                     "spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800",
                 })
            Assert.Contains(expected, bad.Stderr);
    }
}
