using System.Text.Json.Nodes;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>A Route's line: where it sends, its predicates and filters in Spring's shortcut form, and the gateway's status.</summary>
internal sealed record RouteRow(string Namespace, string Name, string Uri, long Order, IReadOnlyList<string> Predicates, IReadOnlyList<string> Filters,
    IReadOnlyList<(string Type, string Status, string? Reason, string? Message)> Conditions, IReadOnlyList<string> Instances);

/// <summary>An Ingress rule's line: host, path and backend.</summary>
internal sealed record IngressRow(string Namespace, string Name, string? Class, string Host, string Path, string Backend, string? Address);

/// <summary>Routes: the gateway's Route resources with predicates, filters and status conditions; Ingresses with their rules.</summary>
internal sealed class RoutesModel(UserApi api, Gateway.GatewayMetrics metrics) : ConsolePage(api)
{
    /// <summary>Per route id (<c>namespace/name</c>), from the gateways' metrics; empty when they are not configured or not read yet.</summary>
    public IReadOnlyDictionary<string, Gateway.RouteFigures> Figures { get; private set; } = new Dictionary<string, Gateway.RouteFigures>();
    public string? FiguresNote { get; private set; }
    public bool MetricsConfigured => metrics.Configured;
    public int RefreshSeconds => (int)metrics.Interval.TotalSeconds;

    public Section Routes { get; private set; } = Section.Empty;
    public IReadOnlyList<RouteRow> RouteRows { get; private set; } = [];
    public Section Ingresses { get; private set; } = Section.Empty;
    public IReadOnlyList<IngressRow> IngressRows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var routes = ListAsync(ResourceKinds.Route, Namespace, ct);
        var ingresses = ListAsync(ResourceKinds.Ingress, Namespace, ct);
        Routes = await routes;
        Ingresses = await ingresses;
        RouteRows = [.. Routes.Items.Select(RouteOf).OrderBy(r => r.Order).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];
        IngressRows = [.. Ingresses.Items.SelectMany(IngressRowsOf)];
        StatusFrom(Routes);
        if (metrics.Configured) (Figures, FiguresNote) = metrics.Snapshot();
        else FiguresNote = "No gateway metrics are configured: set Console:GatewayMetricsUrl (./platform up sets it to the gateway's /metrics) to see request rate, latency and errors per route.";
    }

    internal static RouteRow RouteOf(JsonObject r) => new(r.Ns(), r.Name(), r.Str("spec", "uri") ?? "", r.Int("spec", "order"),
        Components(r["spec"]?["predicates"]), Components(r["spec"]?["filters"]),
        [.. r.Objects("status", "conditions").Select(c => (c.Str("type") ?? "", c.Str("status") ?? "", c.Str("reason"), c.Str("message")))],
        r["status"]?["instances"] is JsonArray i ? [.. i.Select(x => x?.ToString() ?? "")] : []);

    /// <summary>A predicate or filter as Spring's shortcut (<c>Path=/a/**</c>), whether it was written as one or as <c>{name, args}</c>.</summary>
    internal static IReadOnlyList<string> Components(JsonNode? list) => list is JsonArray a
        ? [.. a.Select(c => c switch
        {
            JsonValue v => v.ToString(),
            JsonObject o => $"{o.Str("name")}={string.Join(", ", o["args"] is JsonObject args ? args.Select(kv => kv.Value?.ToString() ?? "") : [])}",
            _ => "",
        })]
        : [];

    private static IEnumerable<IngressRow> IngressRowsOf(JsonObject i)
    {
        var cls = i.Str("spec", "ingressClassName");
        var address = i.Objects("status", "loadBalancer", "ingress").Select(x => x.Str("ip") ?? x.Str("hostname")).FirstOrDefault();
        var rules = i.Objects("spec", "rules").ToList();
        if (i["spec"]?["defaultBackend"] is JsonObject d) yield return new(i.Ns(), i.Name(), cls, "*", "(default)", Backend(d), address);
        foreach (var rule in rules)
            foreach (var p in rule.Objects("http", "paths"))
                yield return new(i.Ns(), i.Name(), cls, rule.Str("host") ?? "*", $"{p.Str("path") ?? "/"} ({p.Str("pathType")})", Backend(p["backend"] as JsonObject), address);
    }

    private static string Backend(JsonObject? b) =>
        b?["service"] is JsonObject s ? $"{s.Str("name")}:{s.Str("port", "number") ?? s.Str("port", "name")}" : b?["resource"] is JsonObject r ? $"{r.Str("kind")}/{r.Str("name")}" : "";
}
