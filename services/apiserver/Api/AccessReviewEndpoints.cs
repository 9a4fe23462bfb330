using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Problems;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;

namespace Platform.ApiServer.Api;

/// <summary>
/// Kubernetes' self-review APIs, which <c>kubectl auth can-i</c> and <c>kubectl auth whoami</c> call:
/// <c>SelfSubjectAccessReview</c> (may I do this?), <c>SelfSubjectRulesReview</c> (what may I do in this namespace?,
/// <c>can-i --list</c>) and <c>SelfSubjectReview</c> (who am I?). Each is a create that stores nothing and answers the
/// request with its <c>status</c> filled in.
/// </summary>
internal static class AccessReviewEndpoints
{
    public const string AuthorizationGroup = "authorization.k8s.io";
    public const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>The review resources discovery lists: (group, plural, kind), all version v1, cluster-scoped, create only.</summary>
    public static IReadOnlyList<(string Group, string Plural, string Kind)> Resources { get; } =
    [
        (AuthorizationGroup, "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        (AuthorizationGroup, "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
        (AuthenticationGroup, "selfsubjectreviews", "SelfSubjectReview"),
    ];

    public static IEndpointRouteBuilder MapAccessReviewApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("").RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectaccessreviews", AccessReview);
        g.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectrulesreviews", RulesReview);
        g.MapPost($"/apis/{AuthenticationGroup}/v1/selfsubjectreviews", WhoAmI);
        return app;
    }

    public static async Task<IResult> AccessReview(HttpContext ctx, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var spec = body["spec"] as JsonObject ?? throw Invalid("SelfSubjectAccessReview", "spec", "required");
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if (resource is null == nonResource is null)
            throw Invalid("SelfSubjectAccessReview", "spec", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        RequestAttributes a;
        if (resource is not null)
        {
            var verb = Field(resource, "verb", "spec.resourceAttributes.verb", required: true)!;
            var ns = Field(resource, "namespace", "spec.resourceAttributes.namespace");
            var group = Field(resource, "group", "spec.resourceAttributes.group") ?? "";
            var plural = Field(resource, "resource", "spec.resourceAttributes.resource") ?? "";
            var sub = Field(resource, "subresource", "spec.resourceAttributes.subresource");
            var name = Field(resource, "name", "spec.resourceAttributes.name");
            var kind = ResourceKinds.All.FirstOrDefault(k => k.Group == group && k.Plural == plural);
            // A namespaced kind asked about without a namespace means every namespace, as RBAC reads it.
            a = new RequestAttributes(verb, group, plural, string.IsNullOrEmpty(sub) ? null : sub, string.IsNullOrEmpty(name) ? null : name,
                string.IsNullOrEmpty(ns) || kind is { Namespaced: false } && kind != ResourceKinds.Namespace ? null : ns);
        }
        else
        {
            a = RequestAttributes.NonResource(Field(nonResource!, "verb", "spec.nonResourceAttributes.verb", required: true)!,
                Field(nonResource!, "path", "spec.nonResourceAttributes.path", required: true)!);
        }
        var allowed = auth.Allows(caller, a);
        body["apiVersion"] = $"{AuthorizationGroup}/v1";
        body["kind"] = "SelfSubjectAccessReview";
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        body["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = allowed ? Reason(caller) : "" };
        return TypedResults.Content(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> RulesReview(HttpContext ctx, BodyReader reader, RbacAuthorizer rbac, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var spec = body["spec"] as JsonObject ?? throw Invalid("SelfSubjectRulesReview", "spec", "required");
        var ns = Field(spec, "namespace", "spec.namespace");
        if (string.IsNullOrEmpty(ns)) throw Invalid("SelfSubjectRulesReview", "spec.namespace", "required");
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var r in rbac.RulesFor(caller, ns))
        {
            if (r.NonResourceURLs is { Count: > 0 } urls)
                nonResourceRules.Add(new JsonObject { ["verbs"] = Array(r.Verbs), ["nonResourceURLs"] = Array(urls) });
            else
            {
                var rule = new JsonObject { ["verbs"] = Array(r.Verbs), ["apiGroups"] = Array(r.ApiGroups), ["resources"] = Array(r.Resources) };
                if (r.ResourceNames is { Count: > 0 } names) rule["resourceNames"] = Array(names);
                resourceRules.Add(rule);
            }
        }
        // Kubernetes lists the self-reviews every authenticated user may create (system:basic-user).
        resourceRules.Add(new JsonObject
        {
            ["verbs"] = new JsonArray("create"), ["apiGroups"] = new JsonArray(AuthorizationGroup),
            ["resources"] = new JsonArray("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
        });
        resourceRules.Add(new JsonObject { ["verbs"] = new JsonArray("create"), ["apiGroups"] = new JsonArray(AuthenticationGroup), ["resources"] = new JsonArray("selfsubjectreviews") });
        var builtIn = caller.Role is Role.Node or Role.Scheduler or Role.Controller or Role.ApiServer;
        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = builtIn };
        if (builtIn) status["evaluationError"] = $"the built-in rules of {caller.Role.ToString().ToLowerInvariant()} tokens are not listed (docs/apiserver.md, Authorization)";
        body["apiVersion"] = $"{AuthorizationGroup}/v1";
        body["kind"] = "SelfSubjectRulesReview";
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        body["status"] = status;
        return TypedResults.Content(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    public static IResult WhoAmI(HttpContext ctx)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var user = new JsonObject { ["username"] = caller.User, ["groups"] = Array([.. caller.Groups]) };
        if (caller.Uid is not null) user["uid"] = caller.Uid;
        if (caller.Extra is { Count: > 0 } extra)
            user["extra"] = new JsonObject(extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)Array([.. e.Value]))));
        var review = new JsonObject
        {
            ["kind"] = "SelfSubjectReview", ["apiVersion"] = $"{AuthenticationGroup}/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["status"] = new JsonObject { ["userInfo"] = user },
        };
        return TypedResults.Content(review.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    private static string Reason(Caller c) => c.Role switch
    {
        Role.Admin => "admin token (system:masters)",
        Role.Editor or Role.Viewer or Role.ServiceAccount => "RBAC",
        _ => $"built-in rules of {c.Role.ToString().ToLowerInvariant()} tokens or RBAC",
    };

    private static string? Field(JsonObject o, string name, string path, bool required = false)
    {
        var node = o[name];
        if (node is null) return required ? throw Invalid("SelfSubjectAccessReview", path, "required") : null;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) throw Invalid("SelfSubjectAccessReview", path, "must be a string");
        if (s.Length > 1024) throw Invalid("SelfSubjectAccessReview", path, "must be at most 1024 characters");
        if (required && s.Length == 0) throw Invalid("SelfSubjectAccessReview", path, "required");
        return s;
    }

    private static JsonArray Array(List<string>? values) => new([.. (values ?? []).Select(v => (JsonNode?)v)]);

    private static ApiProblem Invalid(string kind, string field, string reason) => ApiProblem.Invalid(kind, null, [new FieldError(field, reason)]);
}
