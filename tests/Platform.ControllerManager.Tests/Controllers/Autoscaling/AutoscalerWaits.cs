using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Autoscaling;

/// <summary>What the autoscaler tests wait for: an HPA's status at a replica count, and its rescale events.</summary>
internal static class AutoscalerWaits
{
    /// <summary>Waits for the autoscaler's status to show <paramref name="replicas"/>; on time-out, fails with its last status and events.</summary>
    public static async Task<HorizontalPodAutoscaler> ReplicasAsync(TestScope scope, string hpa, int replicas, string what, TimeSpan timeout)
    {
        HorizontalPodAutoscaler? last = null;
        try
        {
            return await Eventually.WaitAsync(async () => (last = await scope.Admin.GetAsync<HorizontalPodAutoscaler>(
                    $"/apis/autoscaling/v2/namespaces/{scope.Namespace}/horizontalpodautoscalers/{hpa}"))
                is { Status: { } st } h && st.DesiredReplicas == replicas && st.CurrentReplicas == replicas ? h : null, timeout, what, TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException)
        {
            var events = (await scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{scope.Namespace}/events")).Select(e => $"{e.Reason}: {e.Message}");
            var status = System.Text.Json.JsonSerializer.Serialize(last?.Status, ResourceJson.Options);
            Assert.Fail($"timed out waiting for {what}; status {status}; events: {string.Join(" | ", events.TakeLast(15))}");
            throw;
        }
    }

    public static Task RescaleEventAsync(TestScope scope, string message) =>
        Eventually.WaitAsync(async () => (await scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{scope.Namespace}/events"))
                .Any(e => e is { Reason: "SuccessfulRescale", InvolvedObject.Kind: "HorizontalPodAutoscaler" } && e.Message == message),
            TimeSpan.FromSeconds(30), $"event SuccessfulRescale \"{message}\"");
}
