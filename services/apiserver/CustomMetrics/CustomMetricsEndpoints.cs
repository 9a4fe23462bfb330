using System.Globalization;
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

namespace Platform.ApiServer.CustomMetrics;

/// <summary>
/// <c>custom.metrics.k8s.io/v1beta2</c> as prometheus-adapter serves it: <c>GET .../namespaces/{ns}/{resource}/{name|*}/{metric}</c>
/// answers a <c>MetricValueList</c> (<c>labelSelector</c> picks the objects, <c>metricLabelSelector</c> the series).
/// Pods are read from their own endpoints (annotated <c>prometheus.io/scrape: "true"</c>, <c>prometheus.io/port</c>,
/// <c>prometheus.io/path</c>) and from the configured targets' series labelled with them; other namespaced kinds
/// (a gateway Route, a Service) from the targets' series. Counters <c>X_total</c> are served as <c>X_per_second</c>.
/// </summary>
internal static class CustomMetricsEndpoints
{
    public const string Group = "custom.metrics.k8s.io";
    public const string Version = "v1beta2";
    private const string Prefix = $"/apis/{Group}/{Version}";

    public static IServiceCollection AddCustomMetricsApi(this IServiceCollection services)
    {
        services.AddOptions<CustomMetricsOptions>().BindConfiguration(CustomMetricsOptions.Section)
            .Validate(o => o.Targets.All(t => Uri.TryCreate(t, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"), "ApiServer:CustomMetrics:Targets: each must be an absolute http(s) URL")
            .Validate(o => o.ScrapeInterval > TimeSpan.Zero, "ApiServer:CustomMetrics:ScrapeInterval: must be > 0")
            .Validate(o => o.RateWindow >= o.ScrapeInterval, "ApiServer:CustomMetrics:RateWindow: must be at least the scrape interval")
            .Validate(o => o.ScrapeTimeout > TimeSpan.Zero, "ApiServer:CustomMetrics:ScrapeTimeout: must be > 0")
            .Validate(o => o.MaxResponseBytes > 0, "ApiServer:CustomMetrics:MaxResponseBytes: must be > 0")
            .ValidateOnStart();
        services.AddSingleton<MetricScraper>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricScraper>());
        return services;
    }

    public static IEndpointRouteBuilder MapCustomMetricsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapGet("", ResourceListAsync);
        g.MapGet("/namespaces/{namespace}/{resource}/{name}/{metric}", ReadAsync);
        return app;
    }

    /// <summary>The APIResourceList of the metrics known now: <c>pods/{metric}</c>, <c>routes.gateway.platform.io/{metric}</c>…</summary>
    private static async Task<IResult> ResourceListAsync(MetricScraper scraper, CancellationToken ct)
    {
        await scraper.RefreshTargetsAsync(ct);
        var resources = new JsonArray();
        foreach (var (resource, metric) in scraper.All.SelectMany(h => h.Metrics()).Distinct().Order())
            resources.Add(new JsonObject { ["name"] = $"{resource}/{metric}", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "MetricValueList", ["verbs"] = new JsonArray("get") });
        return TypedResults.Json(new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = $"{Group}/{Version}", ["resources"] = resources });
    }

    private static async Task<IResult> ReadAsync(HttpContext ctx, string @namespace, string resource, string name, string metric,
        ResourceService resources, MetricScraper scraper, Authorizer auth, CancellationToken ct)
    {
        if (!LabelNames.IsDns1123Label(@namespace)) throw ApiProblem.NotFound($"namespaces \"{Short(@namespace)}\" not found (not a valid namespace name)");
        if (metric.Length is 0 or > 253) throw ApiProblem.BadRequest("metric", "must be 1 to 253 characters");
        var caller = BearerTokenHandler.CallerOf(ctx);
        if (caller.Role is not (Role.Admin or Role.Controller) && !auth.Allows(caller, new RequestAttributes("get", Group, resource, metric, name, @namespace)))
            throw ApiProblem.Forbidden($"{resource}.{Group} \"{Short(name)}\" is forbidden: User \"{caller.User}\" cannot get resource \"{Short(resource)}/{Short(metric)}\" in API group \"{Group}\" in the namespace \"{@namespace}\"");
        if (SeriesObjects.KindOf(resource) is not { } kind) throw NotFound(metric, resource, name);
        var q = ctx.Request.Query;
        if (!Selector.TryParse(q["labelSelector"].ToString(), out var labels, out var labelError)) throw ApiProblem.BadRequest("labelSelector", labelError!);
        if (!Selector.TryParse(q["metricLabelSelector"].ToString(), out var seriesSelector, out var seriesError)) throw ApiProblem.BadRequest("metricLabelSelector", seriesError!);

        // The objects the question is about, from storage: their names, and for pods where to scrape them.
        var objects = (await resources.ListAsync(kind, @namespace, labels, FieldSelector.Parse(null), ct)).Items
            .Select(o => o.Body).Where(b => name == "*" || (string?)b["metadata"]?["name"] == name).ToList();
        var names = objects.Select(b => (string?)b["metadata"]?["name"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var histories = new List<ScrapeHistory>();
        if (kind == ResourceKinds.Pod) histories.AddRange(await scraper.PodsAsync([.. objects.Select(PodTargets.Of).OfType<PodTarget>()], ct));
        await scraper.RefreshTargetsAsync(ct);
        histories.AddRange(scraper.Targets);

        var readings = histories
            .SelectMany(h => h.Read(metric, kind, o => o.Namespace == @namespace && names.Contains(o.Name), seriesSelector.Matches))
            .GroupBy(r => r.Object)
            .Select(g => g.Aggregate((a, b) => a with { Value = a.Value + b.Value, Timestamp = a.Timestamp > b.Timestamp ? a.Timestamp : b.Timestamp, Window = a.Window > b.Window ? a.Window : b.Window }))
            .OrderBy(r => r.Object.Name, StringComparer.Ordinal).ToList();
        if (readings.Count == 0 && (name != "*" || !histories.Any(h => h.Metrics().Any(m => m.Metric == metric))))
            throw NotFound(metric, resource, name);
        var items = new JsonArray();
        foreach (var r in readings) items.Add(Value(kind, r, metric));
        return TypedResults.Json(new JsonObject { ["kind"] = "MetricValueList", ["apiVersion"] = $"{Group}/{Version}", ["metadata"] = new JsonObject(), ["items"] = items });
    }

    private static JsonObject Value(ResourceKind kind, MetricReading r, string metric)
    {
        var item = new JsonObject
        {
            ["describedObject"] = new JsonObject { ["kind"] = kind.Kind, ["namespace"] = r.Object.Namespace, ["name"] = r.Object.Name, ["apiVersion"] = kind.ApiVersion },
            ["metric"] = new JsonObject { ["name"] = metric },
            ["timestamp"] = r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["value"] = Quantity.FormatMilli((long)Math.Round(r.Value * 1000, MidpointRounding.AwayFromZero)),
        };
        // A rate over less than a second (the first scrapes after a start) still spans a window: never report 0.
        if (r.Window is { } w) item["windowSeconds"] = Math.Max(1L, (long)Math.Round(w.TotalSeconds));
        return item;
    }

    /// <summary>prometheus-adapter's answer for a metric it has no series of.</summary>
    private static ApiProblem NotFound(string metric, string resource, string name) =>
        ApiProblem.NotFound(name == "*" ? $"the server could not find the metric {Short(metric)} for {Short(resource)}" : $"the server could not find the metric {Short(metric)} for {Short(resource)} {Short(name)}");

    private static string Short(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
