namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>One pod's usage of a resource (millicores or bytes, summed over its containers) and when it was measured over which window.</summary>
internal sealed record PodMetric(long Value, DateTimeOffset Timestamp, TimeSpan Window);
