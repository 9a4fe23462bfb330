using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Many <c>pods/binding</c> writes in one request and one transaction (the scheduler's batch): the pods read and
/// locked in one round trip, all the bindings written and committed in a second, one WAL flush for the lot. Each item
/// gets its own answer, the one <c>pods/binding</c> would have given (201, 404, 409, 403, 422); a refused item does
/// not hold the others back. Versions are drawn in item order under the resourceVersion lock, as single writes are.
/// </summary>
internal sealed class BatchBindingService(ObjectStore store, Authorizer auth, TimeProvider time)
{
    public const string ApiVersion = "scheduling.platform.io/v1";
    public const string Kind = "BatchBinding";

    /// <summary>Items one request may carry.</summary>
    public const int MaxItems = 500;

    private sealed record Item(int Index, string Namespace, string Name, string Node)
    {
        public JsonObject? Result { get; set; }
    }

    public async Task<JsonObject> BindAllAsync(Caller caller, JsonObject body, CancellationToken ct)
    {
        if ((string?)body["kind"] is { } kind && kind != Kind) throw ApiProblem.BadRequest("kind", $"must be {Kind}");
        if (body["items"] is not JsonArray array) throw ApiProblem.Invalid(Kind, null, [new FieldError("items", "required: a list of Bindings")]);
        if (array.Count > MaxItems) throw ApiProblem.Invalid(Kind, null, [new FieldError("items", $"must have at most {MaxItems} items")]);
        var items = array.Select((node, i) => Parse(caller, node, i)).ToList();
        var open = items.Where(i => i.Result is null).ToList();
        for (var attempt = 1; open.Count > 0; attempt++)
        {
            try
            {
                await Retry.OnTransientAsync(async () =>
                {
                    await WriteAsync(open, ct);
                    return true;
                });
                break;
            }
            catch (BatchWriteRefused) when (attempt < 3)
            {
                // A node was deleted between the check and the write: the next round sees it gone and refuses only its items.
                foreach (var item in open) item.Result = null;
            }
        }
        var results = new JsonArray([.. items.Select(i => (JsonNode)i.Result!)]);
        return new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["status"] = new JsonObject { ["results"] = results } };
    }

    /// <summary>One round: lock and read the pods, decide each item, write the bound pods and commit.</summary>
    private async Task WriteAsync(List<Item> items, CancellationToken ct)
    {
        await using var w = await store.BeginAsync(ct);
        var nodes = await w.ExistingAsync(ResourceKinds.Node, items.Select(i => i.Node).Distinct().ToList(), ct);
        var pods = await w.GetManyAsync(ResourceKinds.Pod, items.Select(i => (i.Namespace, i.Name)).Distinct().ToList(), ct);
        var now = time.GetUtcNow();
        var writes = new List<(Item Item, JsonObject Pod)>();
        var taken = new HashSet<(string, string)>();
        foreach (var item in items)
        {
            if (!pods.TryGetValue((item.Namespace, item.Name), out var current))
            {
                item.Result = Refused(item, ResourceService.NotFound(ResourceKinds.Pod, item.Name));
                continue;
            }
            if (!nodes.Contains(item.Node))
            {
                item.Result = Refused(item, ApiProblem.NotFound($"nodes \"{item.Node}\" not found"));
                continue;
            }
            try
            {
                // The same pod twice in one batch: the second finds it bound by the first.
                if (!taken.Add((item.Namespace, item.Name)))
                    throw ApiProblem.Conflict($"Operation cannot be fulfilled on pods/binding \"{item.Name}\": pod {item.Name} is bound earlier in this batch");
                writes.Add((item, SubresourceService.Bound(current, item.Node, now)));
            }
            catch (ApiProblem problem)
            {
                item.Result = Refused(item, problem);
            }
        }
        var written = await w.UpdateManyAsync(writes.Select(x => (ResourceKinds.Pod, x.Pod, ((ResourceKind, string)?)(ResourceKinds.Node, x.Item.Node))).ToList(), ct);
        for (var i = 0; i < writes.Count; i++)
            writes[i].Item.Result = new JsonObject
            {
                ["namespace"] = writes[i].Item.Namespace, ["name"] = writes[i].Item.Name, ["code"] = 201,
                ["resourceVersion"] = written[i].ResourceVersion.ToString(CultureInfo.InvariantCulture),
            };
    }

    /// <summary>An item's Binding, validated and authorized as <c>pods/binding</c> in its namespace; a bad one gets its answer here.</summary>
    private Item Parse(Caller caller, JsonNode? node, int index)
    {
        var field = $"items[{index.ToString(CultureInfo.InvariantCulture)}]";
        var binding = node as JsonObject;
        string Text(string parent, string key) => binding?[parent] is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        var ns = Text("metadata", "namespace");
        var name = Text("metadata", "name");
        var target = Text("target", "name");
        var item = new Item(index, ns, name, target);
        var errors = new List<FieldError>();
        if (binding is null) errors.Add(new FieldError(field, "must be a Binding object"));
        if (ns.Length == 0) errors.Add(new FieldError($"{field}.metadata.namespace", "required"));
        if (name.Length == 0) errors.Add(new FieldError($"{field}.metadata.name", "required"));
        if (target.Length == 0) errors.Add(new FieldError($"{field}.target.name", "required"));
        if (Text("target", "kind") is { Length: > 0 } tk && tk != "Node") errors.Add(new FieldError($"{field}.target.kind", "must be Node"));
        if (errors.Count > 0)
        {
            item.Result = Refused(item, ApiProblem.Invalid("Binding", name.Length > 0 ? name : null, errors));
            return item;
        }
        try
        {
            auth.Check(caller, Verb.Create, ResourceKinds.Pod, ns, "binding", name);
        }
        catch (ApiProblem denied)
        {
            item.Result = Refused(item, denied);
        }
        return item;
    }

    private static JsonObject Refused(Item item, ApiProblem problem) => new()
    {
        ["namespace"] = item.Namespace, ["name"] = item.Name, ["code"] = problem.Status, ["reason"] = problem.Reason,
        ["message"] = problem.Errors.Count > 0 ? string.Join("; ", problem.Errors.Select(e => $"{e.Field}: {e.Reason}")) : problem.Message,
    };
}
