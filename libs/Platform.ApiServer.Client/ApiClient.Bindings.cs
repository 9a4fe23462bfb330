using System.Net;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Client;

public sealed partial class ApiClient
{
    /// <summary>The platform's batch of <c>pods/binding</c> writes, one request and one transaction.</summary>
    public const string BatchBindingsPath = "/apis/scheduling.platform.io/v1/batchbindings";

    /// <summary>
    /// Binds many pods in one request (<see cref="BatchBindingsPath"/>); each item's outcome is what
    /// <see cref="BindAsync"/> would have returned for it, in the order given; an item refused otherwise (403, 422) is
    /// <see cref="BindOutcome.Refused"/> with the apiserver's message, and the others stand. Null when the apiserver
    /// has no batch call (an older one answers 404): bind one by one then.
    /// </summary>
    public async Task<IReadOnlyList<(BindOutcome Outcome, string? Message)>?> BindManyAsync(IReadOnlyList<(string Namespace, string Name, string Node)> bindings, CancellationToken ct)
    {
        var items = new JsonArray([.. bindings.Select(b => (JsonNode)new JsonObject
        {
            ["metadata"] = new JsonObject { ["namespace"] = b.Namespace, ["name"] = b.Name },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = b.Node },
        })]);
        var body = new JsonObject { ["apiVersion"] = "scheduling.platform.io/v1", ["kind"] = "BatchBinding", ["items"] = items };
        using var r = await SendAsync(HttpMethod.Post, BatchBindingsPath, () => JsonBody(body), null, ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(r, "POST", BatchBindingsPath, ct);
        var answer = await ReadAsync<JsonObject>(r, ct);
        var results = answer["status"]?["results"] as JsonArray;
        if (results is null || results.Count != bindings.Count)
            throw new FormatException($"POST {BatchBindingsPath}: {results?.Count ?? 0} results for {bindings.Count} bindings");
        return results.Select(result => ((int?)result?["code"] switch
        {
            201 => BindOutcome.Bound,
            409 => BindOutcome.AlreadyBound,
            404 => BindOutcome.NotFound,
            _ => BindOutcome.Refused,
        }, (string?)result?["message"])).ToList();
    }
}
