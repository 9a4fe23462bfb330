using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Tests;

/// <summary>kubectl's HorizontalPodAutoscaler row: the reference, each metric's current/target, and the replica bounds.</summary>
public sealed class HpaColumnsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Row_ShowsCurrentOverTargetPerMetric_UnknownBeforeTheFirstReading_AndMoreThanFourSummed()
    {
        var (headers, row) = TableColumns.For(ResourceKinds.HorizontalPodAutoscaler, wide: false, Now);
        Assert.Equal(["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"], headers);
        var hpa = JsonNode.Parse("""
            {"metadata": {"name": "web", "creationTimestamp": "2026-01-01T11:58:00Z"},
             "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5, "metrics": [
               {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
               {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
               {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "10"}}}]},
             "status": {"currentReplicas": 3, "currentMetrics": [
               {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 200, "averageValue": "200m"}}}]}}
            """)!.AsObject();
        Assert.Equal(["web", "Deployment/web", "cpu: 200%/50%, memory: <unknown>/100Mi, <unknown>/10", "1", "5", "3", "2m"], row(hpa));

        var many = new JsonArray([.. Enumerable.Range(0, 6).Select(_ => JsonNode.Parse("""{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}"""))]);
        var crowded = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" }, ["spec"] = new JsonObject { ["maxReplicas"] = 2, ["metrics"] = many } };
        Assert.Equal("cpu: <unknown>/80%, cpu: <unknown>/80%, cpu: <unknown>/80%, cpu: <unknown>/80% + 2 more...", row(crowded)[2]);
        Assert.Equal("<unset>", row(crowded)[3]);
    }
}
