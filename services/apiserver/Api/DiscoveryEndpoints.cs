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
        g.MapGet("/api", () => TypedResults.Ok(new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }));
        g.MapGet("/apis", Groups);
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

    private static Ok<JsonObject> Groups()
    {
        var groups = new JsonArray();
        var served = ResourceKinds.All.Where(k => k.Group.Length > 0).Select(k => (k.Group, k.Version))
            .Concat(AccessReviewEndpoints.Resources.Select(r => (r.Group, Version: "v1"))).Distinct();
        foreach (var (group, version) in served)
        {
            var v = $"{group}/{version}";
            groups.Add(new JsonObject
            {
                ["name"] = group,
                ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = v, ["version"] = version }),
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = v, ["version"] = version },
            });
        }
        return TypedResults.Ok(new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
    }

    private static Results<Ok<JsonObject>, ProblemHttpResult> Resources(string group, string version)
    {
        var kinds = ResourceKinds.All.Where(k => k.Group == group && k.Version == version).ToList();
        var reviews = version == "v1" ? AccessReviewEndpoints.Resources.Where(r => r.Group == group).ToList() : [];
        if (kinds.Count == 0 && reviews.Count == 0)
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
                    ["verbs"] = s is "binding" or "token" ? new JsonArray("create") : new JsonArray("get", "patch", "update"),
                };
                if (s == "scale")
                {
                    sub["group"] = "autoscaling";
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
        return TypedResults.Ok(new JsonObject { ["kind"] = "APIResourceList", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = list });
    }
}
