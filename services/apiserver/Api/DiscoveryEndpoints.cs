using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Api;

/// <summary>Kubernetes-style discovery: which groups, versions and resources are served.</summary>
internal static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("").RequireAuthorization();
        g.MapGet("/api", (HttpContext ctx) => WantsAggregated(ctx.Request) ? Aggregated([("", "v1")])
            : TypedResults.Ok(new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }));
        g.MapGet("/apis", (HttpContext ctx) => WantsAggregated(ctx.Request) ? Aggregated(ServedGroups()) : Groups());
        g.MapGet("/api/{version}", (string version) => Resources("", version));
        g.MapGet("/apis/{group}/{version}", Resources);
        // Public, as in Kubernetes (the system:public-info-viewer role): clients read it before they authenticate.
        app.MapGet("/version", () => TypedResults.Ok(new JsonObject
        {
            ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-platform", ["gitCommit"] = "", ["gitTreeState"] = "clean",
            ["buildDate"] = "", ["goVersion"] = "", ["compiler"] = "dotnet", ["platform"] = $"linux/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}",
        })).AllowAnonymous();
        return app;
    }

    /// <summary>The named groups and versions served, a group's preferred version first.</summary>
    private static List<(string Group, string Version)> ServedGroups() =>
        [.. ResourceKinds.All.Where(k => k.Group.Length > 0).Select(k => (k.Group, k.Version))
            .Concat(AccessReviewEndpoints.Resources.Select(r => (r.Group, Version: "v1")))
            .Append((Metrics.MetricsEndpoints.Group, Metrics.MetricsEndpoints.Version))
            .Append((CustomMetrics.CustomMetricsEndpoints.Group, CustomMetrics.CustomMetricsEndpoints.Version)).Distinct()];

    /// <summary>The media type of aggregated discovery (<c>apidiscovery.k8s.io/v2</c>), which client-go 1.30+ asks for first.</summary>
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static bool WantsAggregated(HttpRequest request) =>
        request.Headers.Accept.ToString().Split(',').Any(a =>
        {
            var parts = a.Split(';', StringSplitOptions.TrimEntries);
            return parts[0] == "application/json" && parts.Contains("g=apidiscovery.k8s.io") && parts.Contains("v=v2") && parts.Contains("as=APIGroupDiscoveryList");
        });

    /// <summary>
    /// Kubernetes' aggregated discovery: every group (or, for <c>/api</c>, the core group) with its versions' resources
    /// and subresources in one answer, built from the same resource lists as the legacy per-version endpoints.
    /// </summary>
    private static IResult Aggregated(IEnumerable<(string Group, string Version)> groups)
    {
        var items = new JsonArray();
        foreach (var served in groups.GroupBy(g => g.Group))
        {
            var group = served.Key;
            var versions = new JsonArray();
            foreach (var (_, version) in served)
                if (AggregatedVersion(group, version) is { } v) versions.Add(v);
            if (versions.Count == 0) continue;
            items.Add(new JsonObject
            {
                ["metadata"] = group.Length == 0 ? new JsonObject { ["creationTimestamp"] = null } : new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versions,
            });
        }
        var body = new JsonObject { ["kind"] = "APIGroupDiscoveryList", ["apiVersion"] = "apidiscovery.k8s.io/v2", ["metadata"] = new JsonObject(), ["items"] = items };
        return TypedResults.Content(body.ToJsonString(), AggregatedContentType);
    }

    /// <summary>One version of a group in aggregated discovery: its resources, each with its subresources.</summary>
    private static JsonObject? AggregatedVersion(string group, string version)
    {
        // The custom metrics API lists its resources itself (the metrics scraped now); the group is announced empty.
        var list = group == CustomMetrics.CustomMetricsEndpoints.Group ? new JsonObject { ["resources"] = new JsonArray() }
            : Resources(group, version).Result is Ok<JsonObject> { Value: { } served } ? served : null;
        if (list is null) return null;
        var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var resources = new JsonArray();
        foreach (var r in list["resources"]!.AsArray().OfType<JsonObject>())
        {
            var name = (string)r["name"]!;
            var kind = new JsonObject { ["group"] = (string?)r["group"] ?? group, ["version"] = (string?)r["version"] ?? version, ["kind"] = (string?)r["kind"] };
            var slash = name.IndexOf('/');
            if (slash > 0 && byName.TryGetValue(name[..slash], out var parent))
            {
                ((JsonArray)parent["subresources"]!).Add(new JsonObject { ["subresource"] = name[(slash + 1)..], ["responseKind"] = kind, ["verbs"] = r["verbs"]!.DeepClone() });
                continue;
            }
            var resource = new JsonObject
            {
                ["resource"] = name, ["responseKind"] = kind, ["scope"] = (bool)r["namespaced"]! ? "Namespaced" : "Cluster",
                ["singularResource"] = (string?)r["singularName"] ?? "", ["verbs"] = r["verbs"]!.DeepClone(),
                ["subresources"] = new JsonArray(),
            };
            if (r["shortNames"] is JsonArray { Count: > 0 } shortNames) resource["shortNames"] = shortNames.DeepClone();
            if (r["categories"] is JsonArray { Count: > 0 } categories) resource["categories"] = categories.DeepClone();
            byName[name] = resource;
            resources.Add(resource);
        }
        return new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" };
    }

    private static Ok<JsonObject> Groups()
    {
        var groups = new JsonArray();
        foreach (var served in ServedGroups().GroupBy(g => g.Group))
        {
            // Versions in order of preference: the first kind's version (v1 before a group's v1beta1 kinds).
            var versions = served.Select(g => (JsonNode?)new JsonObject { ["groupVersion"] = $"{g.Group}/{g.Version}", ["version"] = g.Version }).ToArray();
            groups.Add(new JsonObject
            {
                ["name"] = served.Key,
                ["versions"] = new JsonArray(versions),
                ["preferredVersion"] = versions[0]!.DeepClone(),
            });
        }
        return TypedResults.Ok(new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
    }

    private static Results<Ok<JsonObject>, ProblemHttpResult> Resources(string group, string version)
    {
        var kinds = ResourceKinds.All.Where(k => k.Group == group && k.Version == version).ToList();
        var reviews = version == "v1" ? AccessReviewEndpoints.Resources.Where(r => r.Group == group).ToList() : [];
        var metrics = group == Metrics.MetricsEndpoints.Group && version == Metrics.MetricsEndpoints.Version ? Metrics.MetricsEndpoints.Resources : [];
        if (kinds.Count == 0 && reviews.Count == 0 && metrics.Count == 0)
            return TypedResults.Problem(statusCode: 404, title: "NotFound", detail: $"the server does not serve {(group.Length == 0 ? "" : group + "/")}{version}");
        var list = new JsonArray();
        foreach (var k in kinds)
        {
            list.Add(new JsonObject
            {
                ["name"] = k.Plural, ["singularName"] = k.Kind.ToLowerInvariant(), ["namespaced"] = k.Namespaced, ["kind"] = k.Kind,
                ["shortNames"] = new JsonArray(k.ShortNames.Select(s => (JsonNode?)s).ToArray()),
                ["categories"] = new JsonArray(k.Categories.Select(c => (JsonNode?)c).ToArray()),
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            });
            foreach (var s in k.Subresources)
            {
                var sub = new JsonObject
                {
                    ["name"] = $"{k.Plural}/{s}", ["singularName"] = "", ["namespaced"] = k.Namespaced,
                    ["kind"] = s == "scale" ? "Scale" : s == "binding" ? "Binding" : k.Kind,
                    ["verbs"] = s is "binding" or "token" or "eviction" ? new JsonArray("create") : new JsonArray("get", "patch", "update"),
                };
                if (s == "scale")
                {
                    sub["group"] = "autoscaling";
                    sub["version"] = "v1";
                }
                if (s == "eviction")
                {
                    sub["kind"] = "Eviction";
                    sub["group"] = ResourceKinds.Policy;
                    sub["version"] = "v1";
                }
                if (s == "token")
                {
                    sub["kind"] = "TokenRequest";
                    sub["group"] = AccessReviewEndpoints.AuthenticationGroup;
                    sub["version"] = "v1";
                }
                list.Add(sub);
            }
            // Served through the node agents (PodLogEndpoints, PodExecEndpoints, PortForwardEndpoints) rather than the generic subresource routes.
            if (k == ResourceKinds.Pod)
            {
                list.Add(new JsonObject { ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get") });
                foreach (var streaming in new[] { "attach", "exec", "portforward" })
                    list.Add(new JsonObject { ["name"] = $"pods/{streaming}", ["singularName"] = "", ["namespaced"] = true, ["kind"] = streaming == "portforward" ? "PodPortForwardOptions" : streaming == "exec" ? "PodExecOptions" : "PodAttachOptions", ["verbs"] = new JsonArray("create", "get") });
            }
        }
        foreach (var (_, plural, kind) in reviews)
            list.Add(new JsonObject { ["name"] = plural, ["singularName"] = kind.ToLowerInvariant(), ["namespaced"] = false, ["kind"] = kind, ["verbs"] = new JsonArray("create") });
        foreach (var (plural, kind, namespaced) in metrics)
            list.Add(new JsonObject { ["name"] = plural, ["singularName"] = "", ["namespaced"] = namespaced, ["kind"] = kind, ["verbs"] = new JsonArray("get", "list") });
        return TypedResults.Ok(new JsonObject { ["kind"] = "APIResourceList", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = list });
    }
}
