using Platform.Contracts.Resources;

namespace Platform.Scheduler.Bench;

/// <summary>scheduler_perf-style workloads: nodes in 10 zones, pods of 100m cpu / 128Mi with the feature under test.</summary>
internal static class Workloads
{
    public const string Zone = "topology.kubernetes.io/zone";
    public const string Host = "kubernetes.io/hostname";
    public static readonly string[] Names = ["basic", "node-affinity", "topology-spread", "pod-anti-affinity"];

    public static Node Node(int i) => new()
    {
        ApiVersion = "v1", Kind = "Node",
        Metadata = new ObjectMeta
        {
            Name = $"node-{i:D5}", ResourceVersion = "1",
            Labels = new() { [Host] = $"node-{i:D5}", [Zone] = $"zone-{i % 10}", ["disk"] = i % 2 == 0 ? "ssd" : "hdd" },
        },
        Status = new NodeStatus { Allocatable = new ResourceList(new Dictionary<string, string> { ["cpu"] = "32", ["memory"] = "64Gi", ["pods"] = "110" }) },
    };

    public static Pod Pod(string workload, int i)
    {
        // Groups as Deployments would make them: 20 groups of replicas sharing an app label.
        var app = $"app-{i % 20}";
        var pod = new Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new ObjectMeta { Name = $"pod-{i:D6}", Namespace = "bench", ResourceVersion = "1", Labels = new() { ["app"] = app } },
            Spec = new PodSpec
            {
                Containers = [new Container { Name = "main", Image = "busybox", Resources = new ResourceRequirements { Requests = new ResourceList(new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" }) } }],
            },
        };
        var selector = new LabelSelector { MatchLabels = new() { ["app"] = app } };
        return workload switch
        {
            "node-affinity" => pod with
            {
                Spec = pod.Spec with
                {
                    Affinity = new Affinity
                    {
                        NodeAffinity = new NodeAffinity
                        {
                            RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new() { Key = Zone, Operator = "In", Values = [$"zone-{i % 10}", $"zone-{(i + 1) % 10}", $"zone-{(i + 2) % 10}"] }] }] },
                            PreferredDuringSchedulingIgnoredDuringExecution = [new PreferredSchedulingTerm { Weight = 50, Preference = new NodeSelectorTerm { MatchExpressions = [new() { Key = "disk", Operator = "In", Values = ["ssd"] }] } }],
                        },
                    },
                },
            },
            "topology-spread" => pod with
            {
                Spec = pod.Spec with { TopologySpreadConstraints = [new TopologySpreadConstraint { MaxSkew = 1, TopologyKey = Zone, WhenUnsatisfiable = "DoNotSchedule", LabelSelector = selector }] },
            },
            "pod-anti-affinity" => pod with
            {
                Spec = pod.Spec with
                {
                    Affinity = new Affinity { PodAntiAffinity = new PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [new PodAffinityTerm { TopologyKey = Host, LabelSelector = selector }] } },
                },
            },
            _ => pod,
        };
    }
}
