namespace Platform.Contracts.Resources;

/// <summary>
/// <c>scheduling.k8s.io/v1 PriorityClass</c> (cluster-scoped): a named priority a pod asks for with
/// <c>spec.priorityClassName</c>; the apiserver's Priority admission copies <see cref="Value"/> and
/// <see cref="PreemptionPolicy"/> into the pod. The apiserver creates the two system classes at start.
/// </summary>
public sealed record PriorityClass : Resource
{
    /// <summary>Names with this prefix are reserved for the system classes.</summary>
    public const string SystemPrefix = "system-";

    /// <summary>The class of pods the cluster cannot work without (value 2000000000).</summary>
    public const string SystemClusterCritical = "system-cluster-critical";

    /// <summary>The class of pods a node cannot work without (value 2000001000).</summary>
    public const string SystemNodeCritical = "system-node-critical";

    /// <summary>The highest value a user-defined class may have.</summary>
    public const int HighestUserDefinablePriority = 1_000_000_000;

    /// <summary>Pods of a higher priority may evict pods of a lower one (the default).</summary>
    public const string PreemptLowerPriority = "PreemptLowerPriority";

    /// <summary>Pods that wait for room instead of evicting others.</summary>
    public const string PreemptNever = "Never";

    /// <summary>The system classes with their values, as Kubernetes defines them.</summary>
    public static IReadOnlyDictionary<string, int> SystemClasses { get; } = new Dictionary<string, int>
    {
        [SystemClusterCritical] = 2_000_000_000,
        [SystemNodeCritical] = 2_000_001_000,
    };

    /// <summary>The priority of the class's pods; higher is more important (immutable).</summary>
    public int Value { get; init; }

    /// <summary>Pods naming no class get this one; at most one class may set it.</summary>
    public bool? GlobalDefault { get; init; }

    /// <summary>PreemptLowerPriority (the default) or Never (immutable).</summary>
    public string? PreemptionPolicy { get; init; }

    /// <summary>When to use the class, for people.</summary>
    public string? Description { get; init; }
}
