using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Informers;

/// <summary>The index functions components share: by namespace, by controlling owner's uid, by a pod's node, by label.</summary>
public static class Indexers
{
    public const string Namespace = "namespace";
    public const string Owner = "owner";
    public const string NodeName = "spec.nodeName";
    /// <summary>EndpointSlices by <c>namespace/service</c> from their <c>kubernetes.io/service-name</c> label.</summary>
    public const string ServiceName = "kubernetes.io/service-name";
    /// <summary>Pods by the claims they mount, as <c>namespace/claim</c>.</summary>
    public const string Claim = "persistentVolumeClaim";

    public static IEnumerable<string> ByNamespace(Resource r) => r.Metadata.Namespace is { Length: > 0 } ns ? [ns] : [];

    /// <summary>Every owner's uid (controllers look up "pods owned by this ReplicaSet").</summary>
    public static IEnumerable<string> ByOwner(Resource r) =>
        r.Metadata.OwnerReferences?.Where(o => o?.Uid is { Length: > 0 }).Select(o => o.Uid!) ?? [];

    public static IEnumerable<string> ByNodeName(Pod p) => p.Spec.NodeName is { Length: > 0 } n ? [n] : [];

    /// <summary>An EndpointSlice's Service as <c>namespace/name</c> (the proxy, DNS and the gateway look slices up by it).</summary>
    public static IEnumerable<string> ByServiceName(Resource r) =>
        r.Metadata.Labels?.TryGetValue(ServiceName, out var name) == true && name is { Length: > 0 } ? [ObjectKeys.KeyOf(r.Metadata.Namespace, name)] : [];

    /// <summary>A pod's <c>persistentVolumeClaim</c> volumes as <c>namespace/claim</c> (who still uses a claim).</summary>
    public static IEnumerable<string> ByClaim(Pod p) =>
        p.Spec.Volumes?.Where(v => v.PersistentVolumeClaim?.ClaimName is { Length: > 0 }).Select(v => ObjectKeys.KeyOf(p.Metadata.Namespace, v.PersistentVolumeClaim!.ClaimName!)).Distinct() ?? [];

    /// <summary>An index by the value of one label: objects without it are not indexed.</summary>
    public static Func<Resource, IEnumerable<string>> ByLabel(string label) =>
        r => r.Metadata.Labels?.TryGetValue(label, out var v) == true ? [v] : [];
}
