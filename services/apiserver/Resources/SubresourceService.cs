using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

using Platform.ApiServer.Resources.Patching;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources;

/// <summary>The <c>binding</c> subresource of pods (the scheduler's write) and <c>scale</c> of ReplicaSets and Deployments.</summary>
internal sealed class SubresourceService(ObjectStore store, ResourceService resources, TimeProvider time)
{
    /// <summary>Binds a pod to a node: sets <c>spec.nodeName</c> and the PodScheduled condition; 409 when already bound.</summary>
    public Task<StoredObject> BindPodAsync(Caller caller, string ns, string name, JsonObject body, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            var binding = (Binding)ResourceCodec.Decode(new ResourceKind("Binding", "bindings", "", "v1", true, typeof(Binding), [], []), body);
            var target = binding.Target?.Name;
            if (string.IsNullOrEmpty(target)) throw ApiProblem.Invalid("Binding", name, [new FieldError("target.name", "required")]);
            if (binding.Target!.Kind is { Length: > 0 } tk && tk != "Node") throw ApiProblem.Invalid("Binding", name, [new FieldError("target.kind", "must be Node")]);
            if (binding.Metadata.Name is { Length: > 0 } bn && bn != name) throw ApiProblem.BadRequest("metadata.name", $"'{bn}' does not match the pod in the URL ('{name}')");
            await using var w = await store.BeginAsync(ct, grouped);
            var current = await w.GetAsync(ResourceKinds.Pod, ns, name, ct) ?? throw ResourceService.NotFound(ResourceKinds.Pod, name);
            var pod = Bound(current, target, time.GetUtcNow());
            var written = await w.UpdateAsync(ResourceKinds.Pod, pod, ct, (ResourceKinds.Node, target), commit: true);
            return written;
        });

    /// <summary>The pod bound to <paramref name="node"/>: <c>spec.nodeName</c> and a True PodScheduled condition; 409 when it is bound already.</summary>
    internal static JsonObject Bound(StoredObject current, string node, DateTimeOffset now)
    {
        var pod = current.CloneBody();
        if ((string?)pod["spec"]?["nodeName"] is { Length: > 0 } bound)
            throw ApiProblem.Conflict($"Operation cannot be fulfilled on pods/binding \"{current.Name}\": pod {current.Name} is already assigned to node \"{bound}\"");
        pod["spec"]!["nodeName"] = node;
        var status = pod["status"] as JsonObject ?? new JsonObject();
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        foreach (var c in conditions.Where(c => (string?)c?["type"] == "PodScheduled").ToList()) conditions.Remove(c);
        conditions.Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = now });
        status["conditions"] = conditions;
        return pod;
    }

    public static JsonObject ToScale(ResourceKind kind, StoredObject obj)
    {
        var body = obj.Body;
        var meta = body["metadata"]!;
        var selector = body["spec"]?["selector"]?.Deserialize<LabelSelector>(ResourceJson.Options);
        return new JsonObject
        {
            ["apiVersion"] = "autoscaling/v1",
            ["kind"] = "Scale",
            ["metadata"] = new JsonObject
            {
                ["name"] = obj.Name, ["namespace"] = obj.Namespace, ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = obj.ResourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = body["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = body["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = SafeSelector(selector),
            },
        };
    }

    /// <summary>Sets <c>spec.replicas</c> from a Scale body (PUT) or a merge patch of one (PATCH).</summary>
    public Task<(StoredObject Object, bool Changed)> ScaleAsync(Caller caller, ResourceKind kind, string ns, string name, PatchDocument change, WriteRequest request, bool dryRun, CancellationToken ct) =>
        Retry.OnTransientAsync(async grouped =>
        {
            await using var w = await store.BeginAsync(ct, grouped);
            var current = await w.GetAsync(kind, ns, name, ct) ?? throw ResourceService.NotFound(kind, name);
            var scale = change.ApplyTo(ToScale(kind, current));
            var replicas = scale["spec"]?["replicas"];
            if (replicas is not JsonValue rv || !rv.TryGetValue<int>(out var n))
                throw ApiProblem.Invalid("Scale", name, [new FieldError("spec.replicas", replicas is null ? "required" : "must be an integer")]);
            if (n < 0) throw ApiProblem.Invalid("Scale", name, [new FieldError("spec.replicas", "must be >= 0")]);
            var desired = current.CloneBody();
            desired["spec"]!["replicas"] = n;
            desired["metadata"]!["resourceVersion"] = scale["metadata"]?["resourceVersion"]?.DeepClone();
            return await resources.FinishUpdateAsync(w, caller, kind, current, desired, dryRun, ct, request);
        });

    private static string SafeSelector(LabelSelector? s)
    {
        try { return Selector.FromLabelSelector(s).ToString(); }
        catch (FormatException) { return ""; }
    }
}
