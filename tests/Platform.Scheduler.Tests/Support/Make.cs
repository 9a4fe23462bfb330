using Platform.Contracts.Resources;

namespace Platform.Scheduler.Tests.Support;

/// <summary>Compact builders for nodes and pods in the Kubernetes shape.</summary>
internal static class Make
{
    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    public static Node Node(string name, string cpu = "4", string memory = "8Gi", string pods = "110", string[]? labels = null,
        List<Taint>? taints = null, bool unschedulable = false, string? portRange = null)
    {
        var l = Labels(labels ?? []);
        l.TryAdd("kubernetes.io/hostname", name);
        return new Node
        {
            ApiVersion = "v1", Kind = "Node",
            Metadata = new ObjectMeta { Name = name, Labels = l, ResourceVersion = "1" },
            Spec = new NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new NodeStatus
            {
                Allocatable = new ResourceList(new Dictionary<string, string> { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = pods }),
                PortRange = portRange,
            },
        };
    }

    public static Taint Taint(string key, string value, string effect = "NoSchedule") => new() { Key = key, Value = value, Effect = effect };

    public static Pod Pod(string name, string? cpu = null, string? memory = null, string[]? labels = null, string ns = "default")
    {
        var requests = new Dictionary<string, string>();
        if (cpu is not null) requests["cpu"] = cpu;
        if (memory is not null) requests["memory"] = memory;
        return new Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = Labels(labels ?? []), ResourceVersion = "1" },
            Spec = new PodSpec
            {
                Containers = [new Container { Name = "main", Image = "busybox", Resources = requests.Count == 0 ? null : new ResourceRequirements { Requests = new ResourceList(requests) } }],
            },
        };
    }

    public static Pod With(this Pod pod, Func<PodSpec, PodSpec> change) => pod with { Spec = change(pod.Spec) };

    public static Pod OnNode(this Pod pod, string node) => pod with { Spec = pod.Spec with { NodeName = node } };

    public static Pod WithHostPort(this Pod pod, int hostPort) => pod.With(s => s with
    {
        Containers = [s.Containers[0] with { Ports = [new ContainerPort { Port = 8080, HostPort = hostPort }] }],
    });

    public static Pod WithNodeAffinity(this Pod pod, params NodeSelectorRequirement[] required) => pod.With(s => s with
    {
        Affinity = (s.Affinity ?? new()) with
        {
            NodeAffinity = new NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [.. required] }] } },
        },
    });

    public static Pod WithPreferredNodeAffinity(this Pod pod, params (int Weight, NodeSelectorRequirement Requirement)[] preferred) => pod.With(s => s with
    {
        Affinity = (s.Affinity ?? new()) with
        {
            NodeAffinity = new NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution = preferred.Select(p => new PreferredSchedulingTerm { Weight = p.Weight, Preference = new NodeSelectorTerm { MatchExpressions = [p.Requirement] } }).ToList(),
            },
        },
    });

    public static NodeSelectorRequirement Req(string key, string op, params string[] values) => new() { Key = key, Operator = op, Values = [.. values] };

    public static PodAffinityTerm Term(string topologyKey, params string[] matchLabels) =>
        new() { TopologyKey = topologyKey, LabelSelector = new LabelSelector { MatchLabels = Labels(matchLabels) } };

    public static Pod WithAntiAffinity(this Pod pod, PodAffinityTerm term) => pod.With(s => s with
    {
        Affinity = (s.Affinity ?? new()) with { PodAntiAffinity = new PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] } },
    });

    public static Pod WithAffinity(this Pod pod, PodAffinityTerm term) => pod.With(s => s with
    {
        Affinity = (s.Affinity ?? new()) with { PodAffinity = new PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] } },
    });

    public static Pod WithPreferredAffinity(this Pod pod, int weight, PodAffinityTerm term, bool anti = false) => pod.With(s => s with
    {
        Affinity = anti
            ? (s.Affinity ?? new()) with { PodAntiAffinity = new PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new WeightedPodAffinityTerm { Weight = weight, PodAffinityTerm = term }] } }
            : (s.Affinity ?? new()) with { PodAffinity = new PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new WeightedPodAffinityTerm { Weight = weight, PodAffinityTerm = term }] } },
    });

    public static Pod WithSpread(this Pod pod, string topologyKey, int maxSkew, bool hard, params string[] matchLabels) => pod.With(s => s with
    {
        TopologySpreadConstraints =
        [
            .. s.TopologySpreadConstraints ?? [],
            new TopologySpreadConstraint
            {
                MaxSkew = maxSkew, TopologyKey = topologyKey, WhenUnsatisfiable = hard ? "DoNotSchedule" : "ScheduleAnyway",
                LabelSelector = new LabelSelector { MatchLabels = Labels(matchLabels) },
            },
        ],
    });

    public static Pod Tolerating(this Pod pod, params Toleration[] tolerations) => pod.With(s => s with { Tolerations = [.. tolerations] });
}
