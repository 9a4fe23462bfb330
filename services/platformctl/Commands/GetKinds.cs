using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Ctl.Client;
using Platform.Ctl.Output;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>get pods,deployments</c>: as kubectl, one table per kind in the order given, names spelled <c>kind/name</c>,
/// a blank line between tables; <c>-o json|yaml</c> gives one <c>v1 List</c> of every item.
/// </summary>
internal static class GetKinds
{
    public sealed record Query(string? Name, bool AllNamespaces, string Namespace, string? LabelSelector, string? FieldSelector, string? Format);

    public static async Task RunAsync(ResourceClient api, CtlEnvironment env, IReadOnlyList<ResourceKind> kinds, Query q, CancellationToken ct)
    {
        var found = new List<(ResourceKind Kind, List<JsonObject> Items)>();
        var missing = new List<string>();
        foreach (var kind in kinds)
        {
            var ns = kind.Namespaced && !q.AllNamespaces ? q.Namespace : null;
            if (q.Name is not null)
            {
                if (await api.GetAsync(kind, ns, q.Name, ct) is { } one) found.Add((kind, [one]));
                else missing.Add($"{kind.QualifiedPlural} \"{q.Name}\" not found");
            }
            else
            {
                var list = await api.ListAsync(kind, ns, q.LabelSelector, q.FieldSelector, ct);
                found.Add((kind, (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList()));
            }
        }
        await WriteAsync(env, found, q, ct);
        if (missing.Count > 0) throw new CtlException(string.Join("; ", missing));
    }

    private static async Task WriteAsync(CtlEnvironment env, List<(ResourceKind Kind, List<JsonObject> Items)> found, Query q, CancellationToken ct)
    {
        switch (q.Format)
        {
            case "json":
                await env.Out.WriteLineAsync(List(found).ToJsonString(new JsonSerializerOptions { WriteIndented = true }).AsMemory(), ct);
                return;
            case "yaml":
                await env.Out.WriteAsync(YamlOutput.ToYaml(List(found)).AsMemory(), ct);
                return;
            case "name":
                foreach (var (kind, items) in found)
                    foreach (var o in items) await env.Out.WriteLineAsync(Names.Of(kind, NameOf(o)).AsMemory(), ct);
                return;
        }
        if (found.All(f => f.Items.Count == 0))
        {
            if (q.Name is null) await env.Error.WriteLineAsync((q.AllNamespaces ? "No resources found" : $"No resources found in {q.Namespace} namespace.").AsMemory(), ct);
            return;
        }
        var console = env.Console();
        var first = true;
        foreach (var (kind, items) in found.Where(f => f.Items.Count > 0))
        {
            if (!first) await env.Out.WriteLineAsync();
            first = false;
            var allNs = q.AllNamespaces && kind.Namespaced;
            var (headers, row) = TableColumns.For(kind, q.Format == "wide", env.Now);
            IReadOnlyList<string> Row(JsonObject o)
            {
                var cells = row(o);
                cells[0] = Names.Of(kind, cells[0]);
                return allNs ? [(string?)o["metadata"]?["namespace"] ?? "", .. cells] : cells;
            }
            TablePrinter.Write(console, allNs ? ["NAMESPACE", .. headers] : headers, items.Select(Row));
        }
    }

    /// <summary>kubectl's <c>{"apiVersion":"v1","kind":"List"}</c>, each item carrying its own apiVersion and kind.</summary>
    private static JsonObject List(List<(ResourceKind Kind, List<JsonObject> Items)> found)
    {
        var items = new JsonArray();
        foreach (var (kind, list) in found)
        {
            foreach (var o in list)
            {
                var item = (JsonObject)o.DeepClone();
                item["apiVersion"] ??= kind.ApiVersion;
                item["kind"] ??= kind.Kind;
                items.Add(item);
            }
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "" }, ["items"] = items };
    }

    private static string NameOf(JsonObject o) => (string?)o["metadata"]?["name"] ?? "";
}
