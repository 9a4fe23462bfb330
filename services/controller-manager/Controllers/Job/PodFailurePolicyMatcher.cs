using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Job;

/// <summary>Kubernetes' matchPodFailurePolicy: the first rule matching a failed pod decides what its failure means.</summary>
internal static class PodFailurePolicyMatcher
{
    /// <summary>The matching rule's action and a message, or null when no rule matches (the failure counts).</summary>
    public static (string Action, string Message)? Match(PodFailurePolicy? policy, Pod pod)
    {
        var rules = policy?.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.OnExitCodes is { } codes && MatchExitCodes(codes, pod) is { } container)
                return (rule.Action ?? "Count", $"Container {container.Name} for pod {pod.Metadata.Namespace}/{pod.Metadata.Name} failed with exit code {container.State!.Terminated!.ExitCode} matching {rule.Action} rule at index {i}");
            if (rule.OnPodConditions is { Count: > 0 } patterns && patterns.Any(p => pod.Status?.Conditions?.Any(c => c.Type == p.Type && c.Status == (p.Status ?? "True")) == true))
                return (rule.Action ?? "Count", $"Pod {pod.Metadata.Namespace}/{pod.Metadata.Name} has condition matching {rule.Action} rule at index {i}");
        }
        return null;
    }

    /// <summary>The first terminated container (init containers too) whose exit code the requirement matches; 0 never matches.</summary>
    private static ContainerStatus? MatchExitCodes(PodFailurePolicyOnExitCodesRequirement codes, Pod pod) =>
        (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? [])
            .Where(c => codes.ContainerName is null || c.Name == codes.ContainerName)
            .FirstOrDefault(c => c.State?.Terminated is { ExitCode: not 0 } t && codes.Values.Contains(t.ExitCode) == (codes.Operator == "In"));
}
