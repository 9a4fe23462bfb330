using Platform.Contracts.Resources;

namespace Platform.Contracts.Quota;

/// <summary>
/// The resource names a ResourceQuota's <c>spec.hard</c> may hold, and the kind whose objects each one measures:
/// Kubernetes' standard quota names for the kinds this platform serves, and <c>count/&lt;plural&gt;[.&lt;group&gt;]</c>
/// (<c>count/deployments.apps</c>, <c>count/configmaps</c>) for every namespaced kind it serves.
/// </summary>
public static class QuotaResourceNames
{
    public const string Pods = "pods";
    public const string Services = "services";
    public const string ServicesNodePorts = "services.nodeports";
    public const string ServicesLoadBalancers = "services.loadbalancers";
    public const string ConfigMaps = "configmaps";
    public const string Secrets = "secrets";
    public const string ResourceQuotas = "resourcequotas";
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string RequestsCpu = "requests.cpu";
    public const string RequestsMemory = "requests.memory";
    public const string LimitsCpu = "limits.cpu";
    public const string LimitsMemory = "limits.memory";
    public const string CountPrefix = "count/";

    private static readonly Dictionary<string, ResourceKind> Standard = new(StringComparer.Ordinal)
    {
        [Pods] = ResourceKinds.Pod, [Cpu] = ResourceKinds.Pod, [Memory] = ResourceKinds.Pod,
        [RequestsCpu] = ResourceKinds.Pod, [RequestsMemory] = ResourceKinds.Pod, [LimitsCpu] = ResourceKinds.Pod, [LimitsMemory] = ResourceKinds.Pod,
        [Services] = ResourceKinds.Service, [ServicesNodePorts] = ResourceKinds.Service, [ServicesLoadBalancers] = ResourceKinds.Service,
        [ConfigMaps] = ResourceKinds.ConfigMap, [Secrets] = ResourceKinds.Secret, [ResourceQuotas] = ResourceKinds.ResourceQuota,
    };

    /// <summary>The names that are not <c>count/...</c>, in the order the docs list them.</summary>
    public static IReadOnlyList<string> StandardNames { get; } = [.. Standard.Keys];

    /// <summary>
    /// The kind whose objects <paramref name="name"/> measures: a standard name, or <c>count/</c> and the plural
    /// (qualified with its group outside the core group) of a namespaced kind; null for anything else.
    /// </summary>
    public static ResourceKind? KindOf(string name)
    {
        if (Standard.TryGetValue(name, out var kind)) return kind;
        if (!name.StartsWith(CountPrefix, StringComparison.Ordinal)) return null;
        var resource = name[CountPrefix.Length..];
        return ResourceKinds.All.FirstOrDefault(k => k.Namespaced && k.QualifiedPlural == resource);
    }

    /// <summary><c>count/pods</c>, <c>count/deployments.apps</c>: the object count name of <paramref name="kind"/>.</summary>
    public static string CountOf(ResourceKind kind) => CountPrefix + kind.QualifiedPlural;

    /// <summary>The legacy count name of a kind (<c>configmaps</c>, <c>secrets</c> ...), if it has one besides <c>count/</c>.</summary>
    public static string? LegacyCountOf(ResourceKind kind) =>
        kind == ResourceKinds.ConfigMap ? ConfigMaps : kind == ResourceKinds.Secret ? Secrets : kind == ResourceKinds.ResourceQuota ? ResourceQuotas : null;

    public static bool IsCpu(string name) => name is Cpu or RequestsCpu or LimitsCpu;

    public static bool IsMemory(string name) => name is Memory or RequestsMemory or LimitsMemory;

    /// <summary>Counts of objects (or ports): whole numbers. cpu and memory are quantities.</summary>
    public static bool IsInteger(string name) => !IsCpu(name) && !IsMemory(name);

    /// <summary>
    /// Kubernetes' backward-compatible rule: a quota on any of these makes every container of a new pod declare it
    /// (<c>requests.cpu</c> and its alias <c>cpu</c> a cpu request, <c>limits.memory</c> a memory limit ...).
    /// </summary>
    public static bool RequiresDeclaration(string name) => IsCpu(name) || IsMemory(name);
}
