using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client;

public sealed partial class ApiClient
{
    /// <summary>
    /// Writes <paramref name="status"/> to <paramref name="obj"/>'s <c>status</c> subresource as a merge patch, on the
    /// condition that the object is still at the resourceVersion it was read at. A status derived from the one held (a
    /// condition keeping its <c>lastTransitionTime</c>, another controller's entries kept) and computed from an informer
    /// that has not yet seen this writer's previous write is refused with 409 instead of written twice; the work queue
    /// retries the key once the informer caught up. False when the object is gone. An object that carries no
    /// resourceVersion (never read from the apiserver) is written without the condition.
    /// </summary>
    public Task<bool> PatchStatusAsync(ResourceKind kind, Resource obj, JsonNode status, CancellationToken ct)
    {
        var patch = new JsonObject { ["status"] = status };
        if (obj.Metadata.ResourceVersion is { } rv) patch["metadata"] = new JsonObject { ["resourceVersion"] = rv };
        return MergePatchAsync(kind.ObjectPath(obj.Metadata.Namespace, obj.Metadata.Name!) + "/status", patch, ct);
    }
}
