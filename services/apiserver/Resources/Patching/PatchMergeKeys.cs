using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Resources.Patching;

/// <summary>
/// The list fields Kubernetes declares <c>patchStrategy: merge</c> for, with their merge key: what the strategic merge
/// patch merges item by item, and what the OpenAPI document tells <c>kubectl apply</c> (which computes its patch from
/// it). One table for both, so the client's patch and the server's merge agree.
/// </summary>
internal static class PatchMergeKeys
{
    /// <summary>The merge key of a list field whose item type is known (the OpenAPI schema); null for an atomic list.</summary>
    public static string? For(string field, Type itemType) => field switch
    {
        "ports" when itemType == typeof(ContainerPort) => "containerPort",
        "ports" when itemType == typeof(ServicePort) => "port",
        "ports" => null,
        _ => ByName(field),
    };

    /// <summary>The merge key of a list field in a JSON document, where a container's ports (by containerPort) and a Service's (by port) are told apart by their items.</summary>
    public static string? For(string field, JsonArray current, JsonArray patch) => field == "ports"
        ? current.Concat(patch).Any(p => p?["containerPort"] is not null) ? "containerPort" : "port"
        : ByName(field);

    /// <summary>Lists merged as sets of values (no key): the patch's values are added to the object's.</summary>
    public static bool IsSet(string field) => field == "finalizers";

    /// <summary>Kubernetes' <c>x-kubernetes-patch-strategy</c> for the field: <c>merge</c>, <c>merge,retainKeys</c> for volumes.</summary>
    public static string Strategy(string field) => field == "volumes" ? "merge,retainKeys" : "merge";

    private static string? ByName(string field) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => null,
    };
}
