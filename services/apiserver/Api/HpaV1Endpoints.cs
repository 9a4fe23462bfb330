using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>autoscaling/v1</c> HorizontalPodAutoscalers (create, get, list), converted to and from the stored
/// <c>autoscaling/v2</c> object as Kubernetes converts them: <c>targetCPUUtilizationPercentage</c> is the v2 CPU
/// <c>Utilization</c> metric, <c>currentCPUUtilizationPercentage</c> its current reading. kubectl 1.32's
/// <c>autoscale</c> creates v1 objects; everything else is served as v2. Other v2 metrics are not carried in v1
/// (Kubernetes keeps them in an alpha annotation; here they are left out of the v1 view and kept in storage).
/// </summary>
internal static class HpaV1Endpoints
{
    private const string Prefix = "/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers";
    private static ResourceKind Kind => ResourceKinds.HorizontalPodAutoscaler;

    public static IEndpointRouteBuilder MapHpaV1Api(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapPost("", Create);
        g.MapGet("", List);
        g.MapGet("/{name}", Get);
        return app;
    }

    private static async Task<IResult> Create(HttpContext ctx, string @namespace, ResourceService resources, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Create, Kind, @namespace, null);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var dryRun = ctx.Request.Query["dryRun"].ToString() == "All";
        var created = await resources.CreateAsync(caller, Kind, @namespace, ToV2(body), new WriteRequest(kind: Kind), dryRun, ct);
        return Json(ToV1(created.Body), StatusCodes.Status201Created);
    }

    private static async Task<IResult> Get(HttpContext ctx, string @namespace, string name, ResourceService resources, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Get, Kind, @namespace, null, name);
        return Json(ToV1((await resources.GetAsync(caller, Kind, @namespace, name, ct)).Body), 200);
    }

    private static async Task<IResult> List(HttpContext ctx, string @namespace, ResourceService resources, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.List, Kind, @namespace, null);
        if (!Selector.TryParse(ctx.Request.Query["labelSelector"].ToString(), out var labels, out var labelError))
            throw ApiProblem.BadRequest("labelSelector", labelError!);
        var (items, rv) = await resources.ListAsync(Kind, @namespace, labels, FieldSelector.Parse(null), ct);
        var list = new JsonObject
        {
            ["kind"] = "HorizontalPodAutoscalerList", ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)ToV1(i.Body))]),
        };
        return Json(list, 200);
    }

    /// <summary>v1 → v2: the CPU target becomes the one Resource metric (none: the v2 default of 80% applies).</summary>
    public static JsonObject ToV2(JsonObject v1)
    {
        var v2 = (JsonObject)v1.DeepClone();
        v2["apiVersion"] = Kind.ApiVersion;
        if (v2["spec"] is JsonObject spec && spec["targetCPUUtilizationPercentage"] is { } cpu)
        {
            spec.Remove("targetCPUUtilizationPercentage");
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = cpu.DeepClone() } },
            });
        }
        v2.Remove("status");
        return v2;
    }

    /// <summary>v2 → v1: the CPU utilization target and reading; behavior, other metrics and conditions have no v1 field.</summary>
    public static JsonObject ToV1(JsonObject v2)
    {
        var v1 = (JsonObject)v2.DeepClone();
        v1["apiVersion"] = "autoscaling/v1";
        if (v1["spec"] is JsonObject spec)
        {
            var cpu = (spec["metrics"] as JsonArray ?? []).FirstOrDefault(m => (string?)m?["type"] == "Resource" && (string?)m?["resource"]?["name"] == "cpu");
            spec.Remove("metrics");
            spec.Remove("behavior");
            if (cpu?["resource"]?["target"]?["averageUtilization"] is { } target) spec["targetCPUUtilizationPercentage"] = target.DeepClone();
        }
        if (v1["status"] is JsonObject status)
        {
            var current = (status["currentMetrics"] as JsonArray ?? []).FirstOrDefault(m => (string?)m?["resource"]?["name"] == "cpu");
            status.Remove("currentMetrics");
            status.Remove("conditions");
            if (current?["resource"]?["current"]?["averageUtilization"] is { } u) status["currentCPUUtilizationPercentage"] = u.DeepClone();
        }
        return v1;
    }

    private static IResult Json(JsonObject body, int status) => TypedResults.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}
