using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Api;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;

namespace Platform.ApiServer.Metrics;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> as metrics-server serves it, read-only: <c>NodeMetrics</c> (<c>/nodes</c>,
/// <c>/nodes/{name}</c>) and <c>PodMetrics</c> (<c>/pods</c>, <c>/namespaces/{ns}/pods</c>, <c>/namespaces/{ns}/pods/{name}</c>),
/// with <c>labelSelector</c> (and <c>fieldSelector</c> on the pods), from the node agents' usage summaries.
/// </summary>
internal static class MetricsEndpoints
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    private const string Prefix = $"/apis/{Group}/{Version}";

    /// <summary>What discovery lists for the group: (plural, kind, namespaced), verbs get and list.</summary>
    public static IReadOnlyList<(string Plural, string Kind, bool Namespaced)> Resources { get; } = [("nodes", "NodeMetrics", false), ("pods", "PodMetrics", true)];

    public static IServiceCollection AddResourceMetricsApi(this IServiceCollection services)
    {
        services.AddOptions<ResourceMetricsOptions>().BindConfiguration(ResourceMetricsOptions.Section)
            .Validate(o => o.CacheTtl >= TimeSpan.Zero, "ApiServer:Metrics:CacheTtl: must be >= 0").ValidateOnStart();
        services.AddSingleton<NodeSummaries>();
        return services;
    }

    public static IEndpointRouteBuilder MapResourceMetricsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapGet("/nodes", (HttpContext ctx, ResourceService r, NodeSummaries s, Authorizer a, CancellationToken ct) => NodesAsync(ctx, null, r, s, a, ct));
        g.MapGet("/nodes/{name}", (HttpContext ctx, string name, ResourceService r, NodeSummaries s, Authorizer a, CancellationToken ct) => NodesAsync(ctx, name, r, s, a, ct));
        g.MapGet("/pods", (HttpContext ctx, ResourceService r, NodeSummaries s, Authorizer a, CancellationToken ct) => PodsAsync(ctx, null, null, r, s, a, ct));
        g.MapGet("/namespaces/{namespace}/pods", (HttpContext ctx, string @namespace, ResourceService r, NodeSummaries s, Authorizer a, CancellationToken ct) => PodsAsync(ctx, @namespace, null, r, s, a, ct));
        g.MapGet("/namespaces/{namespace}/pods/{name}", (HttpContext ctx, string @namespace, string name, ResourceService r, NodeSummaries s, Authorizer a, CancellationToken ct) => PodsAsync(ctx, @namespace, name, r, s, a, ct));
        return app;
    }

    private static async Task<IResult> NodesAsync(HttpContext ctx, string? name, ResourceService resources, NodeSummaries summaries, Authorizer auth, CancellationToken ct)
    {
        Authorize(ctx, auth, "nodes", null, name);
        var (labels, fields) = Selectors(ctx.Request.Query);
        var nodes = (await resources.ListAsync(ResourceKinds.Node, null, labels, fields, ct)).Items
            .Select(o => o.Body.Deserialize<Node>(ResourceJson.Options)!).Where(n => name is null || n.Metadata.Name == name).ToList();
        var read = await Task.WhenAll(nodes.Select(n => summaries.GetAsync(n, ct)));
        var items = new JsonArray();
        for (var i = 0; i < nodes.Count; i++)
            if (read[i]?.Node is { } usage) items.Add(MetricsJson.NodeMetrics(nodes[i], usage));
        if (name is null) return MetricsJson.List("NodeMetricsList", items);
        return items.Count == 1 ? TypedResults.Json(items[0]) : throw ApiProblem.NotFound($"nodemetrics.{Group} \"{name}\" not found");
    }

    private static async Task<IResult> PodsAsync(HttpContext ctx, string? ns, string? name, ResourceService resources, NodeSummaries summaries, Authorizer auth, CancellationToken ct)
    {
        if (ns is not null && !LabelNames.IsDns1123Label(ns)) throw ApiProblem.NotFound($"namespaces \"{PodAgent.Short(ns)}\" not found (not a valid namespace name)");
        Authorize(ctx, auth, "pods", ns, name);
        var (labels, fields) = Selectors(ctx.Request.Query);
        var pods = (await resources.ListAsync(ResourceKinds.Pod, ns, labels, fields, ct)).Items
            .Select(o => o.Body.Deserialize<Pod>(ResourceJson.Options)!)
            .Where(p => (name is null || p.Metadata.Name == name) && p.Spec.NodeName is { Length: > 0 }).ToList();
        var nodeNames = pods.Select(p => p.Spec.NodeName!).Distinct(StringComparer.Ordinal).ToList();
        var nodes = (await resources.ListAsync(ResourceKinds.Node, null, Selector.Everything, FieldSelector.Parse(null), ct)).Items
            .Select(o => o.Body.Deserialize<Node>(ResourceJson.Options)!).Where(n => nodeNames.Contains(n.Metadata.Name!)).ToList();
        var read = await Task.WhenAll(nodes.Select(n => summaries.GetAsync(n, ct)));
        var byPod = new Dictionary<(string, string), PodUsage>();
        foreach (var summary in read)
            foreach (var p in summary?.Pods ?? [])
                byPod[(p.Namespace, p.Name)] = p;
        var items = new JsonArray();
        foreach (var pod in pods)
        {
            // A same-named newer pod is not the one measured; a mirror pod's uid is not its containers' (PodAgent.AgentUid).
            if (!byPod.TryGetValue((pod.Metadata.Namespace!, pod.Metadata.Name!), out var usage)) continue;
            if (PodAgent.AgentUid(pod) is { } uid && usage.Uid != uid) continue;
            items.Add(MetricsJson.PodMetrics(pod, usage));
        }
        if (name is null) return MetricsJson.List("PodMetricsList", items);
        return items.Count == 1 ? TypedResults.Json(items[0]) : throw ApiProblem.NotFound($"podmetrics.{Group} \"{name}\" not found");
    }

    /// <summary>
    /// RBAC decides (<c>system:aggregated-metrics-reader</c> gives view, edit and admin get/list/watch on both), plus
    /// the controllers' identity, which the autoscaler reads pod metrics with.
    /// </summary>
    private static void Authorize(HttpContext ctx, Authorizer auth, string resource, string? ns, string? name)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var verb = name is null ? "list" : "get";
        if (caller.Role is Role.Admin or Role.Controller || auth.Allows(caller, new RequestAttributes(verb, Group, resource, null, name, ns))) return;
        var target = name is null ? $"{resource}.{Group} is forbidden" : $"{resource}.{Group} \"{name}\" is forbidden";
        var where = ns is not null ? $" in the namespace \"{ns}\"" : resource == "nodes" ? " at the cluster scope" : "";
        throw ApiProblem.Forbidden($"{target}: User \"{caller.User}\" cannot {verb} resource \"{resource}\" in API group \"{Group}\"{where}");
    }

    private static (Selector Labels, FieldSelector Fields) Selectors(IQueryCollection q)
    {
        if (!Selector.TryParse(q["labelSelector"].ToString(), out var labels, out var labelError))
            throw ApiProblem.BadRequest("labelSelector", labelError!);
        try { return (labels, FieldSelector.Parse(q["fieldSelector"].ToString())); }
        catch (FormatException ex) { throw ApiProblem.BadRequest("fieldSelector", ex.Message); }
    }
}
