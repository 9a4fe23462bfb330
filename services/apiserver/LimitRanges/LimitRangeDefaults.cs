using Platform.Contracts.Resources;

namespace Platform.ApiServer.LimitRanges;

/// <summary>
/// LimitRanger's mutating half: each container (and init container) that leaves a resource out gets the limit of
/// the LimitRange's <c>Container</c> item's <c>default</c> and the request of its <c>defaultRequest</c>, and the pod
/// is annotated with what was set (<c>kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for
/// container main; cpu limit for container main</c>), as Kubernetes does.
/// </summary>
internal static class LimitRangeDefaults
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    public static Pod Apply(Pod pod, LimitRange range)
    {
        var limits = new ResourceList();
        var requests = new ResourceList();
        foreach (var item in (range.Spec?.Limits ?? []).Where(i => i?.Type == "Container"))
        {
            foreach (var (k, v) in item.DefaultRequest ?? []) requests[k] = v;
            foreach (var (k, v) in item.Default ?? []) limits[k] = v;
        }
        if (limits.Count == 0 && requests.Count == 0 || pod.Spec is null) return pod;
        var notes = new List<string>();
        var containers = pod.Spec.Containers?.Select(c => Merge(c, "container", limits, requests, notes)).ToList();
        var init = pod.Spec.InitContainers?.Select(c => Merge(c, "init container", limits, requests, notes)).ToList();
        if (notes.Count == 0) return pod;
        var annotations = new Dictionary<string, string>(pod.Metadata.Annotations ?? [], StringComparer.Ordinal)
        {
            [Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes),
        };
        return pod with
        {
            Metadata = pod.Metadata with { Annotations = annotations },
            Spec = pod.Spec with { Containers = containers!, InitContainers = init },
        };
    }

    private static Container Merge(Container c, string what, ResourceList limits, ResourceList requests, List<string> notes)
    {
        if (c is null) return c!;
        var resources = c.Resources ?? new ResourceRequirements();
        var setLimits = limits.Keys.Where(k => resources.Limits?.ContainsKey(k) != true).Order(StringComparer.Ordinal).ToList();
        var setRequests = requests.Keys.Where(k => resources.Requests?.ContainsKey(k) != true).Order(StringComparer.Ordinal).ToList();
        if (setLimits.Count == 0 && setRequests.Count == 0) return c;
        var newLimits = new ResourceList(resources.Limits ?? new ResourceList());
        foreach (var k in setLimits) newLimits[k] = limits[k];
        var newRequests = new ResourceList(resources.Requests ?? new ResourceList());
        foreach (var k in setRequests) newRequests[k] = requests[k];
        if (setRequests.Count > 0) notes.Add($"{string.Join(", ", setRequests)} request for {what} {c.Name}");
        if (setLimits.Count > 0) notes.Add($"{string.Join(", ", setLimits)} limit for {what} {c.Name}");
        return c with
        {
            Resources = resources with
            {
                Limits = newLimits.Count == 0 ? resources.Limits : newLimits,
                Requests = newRequests.Count == 0 ? resources.Requests : newRequests,
            },
        };
    }
}
