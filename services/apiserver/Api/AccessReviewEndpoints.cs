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
        (AuthorizationGroup, "subjectaccessreviews", "SubjectAccessReview"),
        (AuthenticationGroup, "tokenreviews", "TokenReview"),
    ];

    public static IEndpointRouteBuilder MapAccessReviewApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("").RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectaccessreviews", AccessReview);
        g.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectrulesreviews", RulesReview);
        g.MapPost($"/apis/{AuthenticationGroup}/v1/selfsubjectreviews", WhoAmI);
        g.MapPost($"/apis/{AuthorizationGroup}/v1/subjectaccessreviews", SubjectAccessReview);
        g.MapPost($"/apis/{AuthenticationGroup}/v1/tokenreviews", TokenReview);
        return app;
    }

    public static async Task<IResult> AccessReview(HttpContext ctx, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var a = AttributesOf(body, "SelfSubjectAccessReview");
        var allowed = auth.Allows(caller, a);
        return Answer(body, "SelfSubjectAccessReview", allowed, allowed ? Reason(caller) : "");
    }

    /// <summary>
    /// <c>SubjectAccessReview</c>: may the named user (and groups) do this? For components that authorize their own
    /// callers against the cluster's RBAC (Kubernetes' delegated authorization, e.g. the config server). Needs
    /// <c>create</c> on <c>subjectaccessreviews</c> (admin tokens, or RBAC such as ClusterRole <c>system:auth-delegator</c>).
    /// </summary>
    public static async Task<IResult> SubjectAccessReview(HttpContext ctx, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        if (!auth.Allows(caller, new RequestAttributes("create", AuthorizationGroup, "subjectaccessreviews", null, null, null)))
            throw ApiProblem.Forbidden($"subjectaccessreviews.{AuthorizationGroup} is forbidden: User \"{caller.User}\" cannot create resource \"subjectaccessreviews\" in API group \"{AuthorizationGroup}\" at the cluster scope");
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var a = AttributesOf(body, "SubjectAccessReview");
        var spec = (JsonObject)body["spec"]!;
        var user = Field(spec, "user", "spec.user", kind: "SubjectAccessReview");
        var groups = spec["groups"] is JsonArray g ? g.Select((x, i) => x is JsonValue v && v.TryGetValue<string>(out var s) && s.Length <= 253 ? s
            : throw Invalid("SubjectAccessReview", $"spec.groups[{i}]", "must be a string of at most 253 characters")).ToList() : [];
        if (string.IsNullOrEmpty(user) && groups.Count == 0) throw Invalid("SubjectAccessReview", "spec.user", "at least one of user or group must be specified");
        if (groups.Count > 100) throw Invalid("SubjectAccessReview", "spec.groups", "at most 100 groups");
        var subject = new Caller(user ?? "", Role.User, null, null) { Groups = groups };
        var allowed = groups.Contains(Groups.Masters) || auth.Allows(subject, a);
        return Answer(body, "SubjectAccessReview", allowed, allowed ? "RBAC" : "");
    }

    /// <summary>
    /// <c>TokenReview</c> in Kubernetes' shape (<c>authentication.k8s.io/v1</c>), for components that authenticate their
    /// own callers (delegated authentication): the token's user, uid, groups and extra. Needs <c>create</c> on
    /// <c>tokenreviews</c> (admin and node tokens, or RBAC).
    /// </summary>
    public static async Task<IResult> TokenReview(HttpContext ctx, BodyReader reader, Authorizer auth, Authenticator authenticator, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        if (caller.Role != Role.Node && !auth.Allows(caller, new RequestAttributes("create", AuthenticationGroup, "tokenreviews", null, null, null)))
            throw ApiProblem.Forbidden($"tokenreviews.{AuthenticationGroup} is forbidden: User \"{caller.User}\" cannot create resource \"tokenreviews\" in API group \"{AuthenticationGroup}\" at the cluster scope");
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var spec = body["spec"] as JsonObject ?? throw Invalid("TokenReview", "spec", "required");
        var token = Field(spec, "token", "spec.token", required: true, max: Authenticator.MaxTokenLength, kind: "TokenReview")!;
        var user = await authenticator.AuthenticateAsync(token, ct);
        var status = new JsonObject { ["authenticated"] = user is not null };
        if (user is not null) status["user"] = UserInfo(user);
        body["apiVersion"] = $"{AuthenticationGroup}/v1";
        body["kind"] = "TokenReview";
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        spec.Remove("token");
        body["status"] = status;
        return TypedResults.Content(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    private static RequestAttributes AttributesOf(JsonObject body, string kindName)
    {
        var spec = body["spec"] as JsonObject ?? throw Invalid(kindName, "spec", "required");
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if (resource is null == nonResource is null)
            throw Invalid(kindName, "spec", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        if (resource is null)
            return RequestAttributes.NonResource(Field(nonResource!, "verb", "spec.nonResourceAttributes.verb", required: true, kind: kindName)!,
                Field(nonResource!, "path", "spec.nonResourceAttributes.path", required: true, kind: kindName)!);
        var verb = Field(resource, "verb", "spec.resourceAttributes.verb", required: true, kind: kindName)!;
        var ns = Field(resource, "namespace", "spec.resourceAttributes.namespace", kind: kindName);
        var group = Field(resource, "group", "spec.resourceAttributes.group", kind: kindName) ?? "";
        var plural = Field(resource, "resource", "spec.resourceAttributes.resource", kind: kindName) ?? "";
        var sub = Field(resource, "subresource", "spec.resourceAttributes.subresource", kind: kindName);
        var name = Field(resource, "name", "spec.resourceAttributes.name", kind: kindName);
        var kind = ResourceKinds.All.FirstOrDefault(k => k.Group == group && k.Plural == plural);
        // A namespaced kind asked about without a namespace means every namespace, as RBAC reads it.
        return new RequestAttributes(verb, group, plural, string.IsNullOrEmpty(sub) ? null : sub, string.IsNullOrEmpty(name) ? null : name,
            string.IsNullOrEmpty(ns) || kind is { Namespaced: false } && kind != ResourceKinds.Namespace ? null : ns);
    }

    private static IResult Answer(JsonObject body, string kind, bool allowed, string reason)
    {
        body["apiVersion"] = $"{AuthorizationGroup}/v1";
        body["kind"] = kind;
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        body["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = reason };
        return TypedResults.Content(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> RulesReview(HttpContext ctx, BodyReader reader, RbacAuthorizer rbac, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var spec = body["spec"] as JsonObject ?? throw Invalid("SelfSubjectRulesReview", "spec", "required");
        var ns = Field(spec, "namespace", "spec.namespace", kind: "SelfSubjectRulesReview");
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
        var user = UserInfo(BearerTokenHandler.CallerOf(ctx));
        var review = new JsonObject
        {
            ["kind"] = "SelfSubjectReview", ["apiVersion"] = $"{AuthenticationGroup}/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["status"] = new JsonObject { ["userInfo"] = user },
        };
        return TypedResults.Content(review.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Kubernetes' <c>UserInfo</c>: username, uid, groups, extra.</summary>
    private static JsonObject UserInfo(Caller caller)
    {
        var user = new JsonObject { ["username"] = caller.User, ["groups"] = Array([.. caller.Groups]) };
        if (caller.Uid is not null) user["uid"] = caller.Uid;
        if (caller.Extra is { Count: > 0 } extra)
            user["extra"] = new JsonObject(extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)Array([.. e.Value]))));
        return user;
    }

    private static string Reason(Caller c) => c.Role switch
    {
        Role.Admin => "admin token (system:masters)",
        Role.Editor or Role.Viewer or Role.ServiceAccount => "RBAC",
        _ => $"built-in rules of {c.Role.ToString().ToLowerInvariant()} tokens or RBAC",
    };

    private static string? Field(JsonObject o, string name, string path, bool required = false, int max = 1024, string kind = "SelfSubjectAccessReview")
    {
        var node = o[name];
        if (node is null) return required ? throw Invalid(kind, path, "required") : null;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) throw Invalid(kind, path, "must be a string");
        if (s.Length > max) throw Invalid(kind, path, $"must be at most {max} characters");
        if (required && s.Length == 0) throw Invalid(kind, path, "required");
        return s;
    }

    private static JsonArray Array(List<string>? values) => new([.. (values ?? []).Select(v => (JsonNode?)v)]);

    private static ApiProblem Invalid(string kind, string field, string reason) => ApiProblem.Invalid(kind, null, [new FieldError(field, reason)]);
}
