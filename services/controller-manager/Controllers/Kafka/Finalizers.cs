using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>Adds or removes a controller's finalizer with a merge patch guarded by the object's resourceVersion.</summary>
internal static class Finalizers
{
    public static bool Has(Resource r, string finalizer) => r.Metadata.Finalizers?.Contains(finalizer) == true;

    public static Task AddAsync(ApiClient api, ResourceKind kind, Resource r, string finalizer, CancellationToken ct) =>
        PatchAsync(api, kind, r, [.. r.Metadata.Finalizers ?? [], finalizer], ct);

    public static Task RemoveAsync(ApiClient api, ResourceKind kind, Resource r, string finalizer, CancellationToken ct) =>
        PatchAsync(api, kind, r, [.. (r.Metadata.Finalizers ?? []).Where(f => f != finalizer)], ct);

    private static Task PatchAsync(ApiClient api, ResourceKind kind, Resource r, List<string> finalizers, CancellationToken ct) =>
        api.MergePatchAsync(kind.ObjectPath(r.Metadata.Namespace, r.Metadata.Name!), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = r.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        }, ct);
}
