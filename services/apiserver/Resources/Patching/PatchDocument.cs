using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources.Patching;

/// <summary>A PATCH body and how its Content-Type says to apply it.</summary>
internal abstract record PatchDocument
{
    /// <summary>The patched object; <paramref name="current"/> may be changed in place.</summary>
    public abstract JsonObject ApplyTo(JsonObject current);

    /// <summary>True when the patch sets <c>metadata.resourceVersion</c>, which is then a precondition.</summary>
    public abstract bool SetsResourceVersion { get; }

    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>, and any plain JSON or YAML body).</summary>
    public sealed record Merge(JsonObject Patch) : PatchDocument
    {
        public override JsonObject ApplyTo(JsonObject current) =>
            JsonMergePatch.Apply(current, Patch.DeepClone()) as JsonObject ?? throw ApiProblem.BadRequest("the patch must be a JSON object");

        public override bool SetsResourceVersion => Patch["metadata"]?["resourceVersion"] is not null;
    }

    public sealed record Strategic(JsonObject Patch) : PatchDocument
    {
        public override JsonObject ApplyTo(JsonObject current) => StrategicMergePatch.Apply(current, Patch);

        public override bool SetsResourceVersion => Patch["metadata"]?["resourceVersion"] is not null;
    }

    /// <summary>
    /// A server-side apply configuration (<c>application/apply-patch+yaml</c>): the manager's intent, applied by
    /// <c>ResourceService.ApplyAsync</c> with field ownership; as a plain patch it merges like a strategic one.
    /// </summary>
    public sealed record Apply(JsonObject Body) : PatchDocument
    {
        public override JsonObject ApplyTo(JsonObject current) => StrategicMergePatch.Apply(current, (JsonObject)Body.DeepClone());

        public override bool SetsResourceVersion => Body["metadata"]?["resourceVersion"] is not null;
    }

    /// <summary>A whole new object (a PUT), as a patch that replaces everything.</summary>
    public sealed record Replace(JsonObject Body) : PatchDocument
    {
        public override JsonObject ApplyTo(JsonObject current) => (JsonObject)Body.DeepClone();

        public override bool SetsResourceVersion => Body["metadata"]?["resourceVersion"] is not null;
    }

    public sealed record Json(JsonArray Operations) : PatchDocument
    {
        public override JsonObject ApplyTo(JsonObject current) => JsonPatch.Apply(current, Operations);

        public override bool SetsResourceVersion => Operations.Any(o => (o?["path"] as JsonValue)?.ToString() == "/metadata/resourceVersion");
    }
}
