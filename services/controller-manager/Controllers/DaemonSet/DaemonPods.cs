using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.ReplicaSet;
using DS = Platform.Contracts.Resources.DaemonSet;

namespace Platform.ControllerManager.Controllers.DaemonSet;

/// <summary>
/// Which nodes a DaemonSet's pod belongs on, and the pod it puts there (Kubernetes' daemon utilities): the template's
/// nodeSelector and required node affinity, the node's NoSchedule and NoExecute taints against the template's
/// tolerations plus the ones every daemon pod gets.
/// </summary>
internal static class DaemonPods
{
    /// <summary>What Kubernetes adds to every daemon pod, so node problems and cordons do not keep or drive it off.</summary>
    public static readonly IReadOnlyList<Toleration> DefaultTolerations =
    [
        new() { Key = "node.kubernetes.io/not-ready", Operator = "Exists", Effect = "NoExecute" },
        new() { Key = "node.kubernetes.io/unreachable", Operator = "Exists", Effect = "NoExecute" },
        new() { Key = "node.kubernetes.io/disk-pressure", Operator = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/memory-pressure", Operator = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/pid-pressure", Operator = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/unschedulable", Operator = "Exists", Effect = "NoSchedule" },
    ];

    /// <summary>
    /// <c>ShouldRun</c>: a new pod may be placed on the node; <c>ShouldContinueRunning</c>: a pod already there may
    /// stay (only NoExecute taints drive one off).
    /// </summary>
    public static (bool ShouldRun, bool ShouldContinueRunning) Fit(Node node, PodSpec? spec)
    {
        var labels = node.Metadata.Labels ?? [];
        if (spec?.NodeSelector is { } selector && selector.Any(kv => labels.GetValueOrDefault(kv.Key) != kv.Value)) return (false, false);
        if (spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required
            && !NodeSelectorMatching.Matches(required, node.Metadata.Name!, labels)) return (false, false);
        var tolerations = Tolerations(spec);
        bool Tolerated(Taint taint) => tolerations.Any(t => t.Tolerates(taint));
        var taints = node.Spec.Taints ?? [];
        var run = taints.Where(t => t.Effect is "NoSchedule" or "NoExecute").All(Tolerated);
        var stay = taints.Where(t => t.Effect == "NoExecute").All(Tolerated);
        return (run, stay);
    }

    private static List<Toleration> Tolerations(PodSpec? spec)
    {
        var list = new List<Toleration>(spec?.Tolerations ?? []);
        foreach (var t in DefaultTolerations)
            if (!list.Any(x => x.Key == t.Key && x.Effect == t.Effect)) list.Add(t);
        return list;
    }

    /// <summary>
    /// The daemon pod for <paramref name="node"/>: the template labelled with the revision hash, the default
    /// tolerations, and a required node affinity on <c>metadata.name</c> in place of the template's (Kubernetes'
    /// ReplaceDaemonSetPodNodeNameNodeAffinity). <c>spec.nodeName</c> is set as well: the pod is bound at creation
    /// instead of waiting for a scheduler, so DaemonSets work where no scheduler runs (as before Kubernetes 1.12).
    /// </summary>
    public static Pod New(DS ds, string node, string hash)
    {
        var template = ds.Spec.Template ?? new PodTemplateSpec();
        var spec = template.Spec ?? new PodSpec();
        var affinity = spec.Affinity ?? new Affinity();
        var nodeAffinity = (affinity.NodeAffinity ?? new NodeAffinity()) with
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
            {
                NodeSelectorTerms = [new NodeSelectorTerm { MatchFields = [new NodeSelectorRequirement { Key = "metadata.name", Operator = "In", Values = [node] }] }],
            },
        };
        return new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                GenerateName = ds.Metadata.Name + "-",
                Namespace = ds.Metadata.Namespace,
                Labels = new Dictionary<string, string>(template.Metadata?.Labels ?? []) { [ControllerRevision.HashLabel] = hash },
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [ReplicaSetController.OwnerRef(ds)],
            },
            Spec = spec with { NodeName = node, Affinity = affinity with { NodeAffinity = nodeAffinity }, Tolerations = Tolerations(spec) },
        };
    }

    /// <summary>The node a daemon pod is for: where it is bound, else its <c>metadata.name</c> affinity.</summary>
    public static string? NodeOf(Pod pod) =>
        pod.Spec.NodeName is { Length: > 0 } n ? n
        : pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms
            .SelectMany(t => t.MatchFields ?? []).FirstOrDefault(f => f.Key == "metadata.name" && f.Operator == "In")?.Values?.FirstOrDefault();
}
