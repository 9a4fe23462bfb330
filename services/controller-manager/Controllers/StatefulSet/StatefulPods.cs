using System.Globalization;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using STS = Platform.Contracts.Resources.StatefulSet;

namespace Platform.ControllerManager.Controllers.StatefulSet;

/// <summary>
/// A StatefulSet pod's identity (Kubernetes' stateful_set_utils): the name <c>&lt;set&gt;-&lt;ordinal&gt;</c>, the
/// hostname and subdomain that make it <c>web-0.SERVICE.NS.svc</c> in DNS, the pod-name and pod-index labels, and the
/// revision it was made from.
/// </summary>
internal static class StatefulPods
{
    public static string Name(STS set, int ordinal) => $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The ordinal in a pod's name, or -1 when the name is not <c>&lt;set&gt;-&lt;n&gt;</c>.</summary>
    public static int OrdinalOf(STS set, Pod pod)
    {
        var prefix = set.Metadata.Name + "-";
        var name = pod.Metadata.Name ?? "";
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && Name(set, n) == name ? n : -1;
    }

    /// <summary>The name of the revision a pod was made from (its <c>controller-revision-hash</c> label).</summary>
    public static string? RevisionOf(Pod pod) => pod.Metadata.Labels?.GetValueOrDefault(ControllerRevision.HashLabel);

    public static bool IsRunningAndReady(Pod p) => p.Status?.Phase == "Running" && PodFacts.IsReady(p);

    public static bool IsTerminating(Pod p) => p.Metadata.DeletionTimestamp is not null;

    public static bool HasFinished(Pod p) => p.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>The pod of <paramref name="ordinal"/> from <paramref name="template"/> (the revision's), labelled with <paramref name="revision"/>.</summary>
    public static Pod New(STS set, PodTemplateSpec template, string revision, int ordinal)
    {
        var name = Name(set, ordinal);
        var spec = template.Spec ?? new PodSpec();
        return new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = set.Metadata.Namespace,
                Labels = new Dictionary<string, string>(template.Metadata?.Labels ?? [])
                {
                    [ControllerRevision.HashLabel] = revision,
                    [STS.PodNameLabel] = name,
                    [STS.PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
                },
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [ReplicaSetController.OwnerRef(set)],
            },
            Spec = spec with { Hostname = name, Subdomain = string.IsNullOrEmpty(set.Spec.ServiceName) ? spec.Subdomain : set.Spec.ServiceName },
        };
    }
}
