using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>
/// RBAC through the HTTP API: ServiceAccounts and their tokens, Roles and bindings deciding what a token may do, the
/// default ClusterRoles behind editor and viewer tokens, privilege-escalation prevention and the self-reviews.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class RbacTests(PostgresFixture pg, KafkaFixture kafka)
{
    /// <summary>How long a change of roles or bindings may take to reach the authorizer (its informers follow the watch).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private static async Task<string> TokenAsync(HttpClient admin, string role, string? ns = null)
    {
        var created = await admin.PostAsync("/apis/auth.platform.io/v1/tokens",
            Http.Json(new JsonObject { ["name"] = role + "-" + Guid.NewGuid().ToString("N")[..6], ["role"] = role, ["namespace"] = ns })).ExpectAsync(201);
        return (string)created["token"]!;
    }

    private static async Task<string> ServiceAccountTokenAsync(HttpClient client, string ns, string name, JsonObject? spec = null)
    {
        var review = await client.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{name}/token",
            Http.Json(new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec ?? new JsonObject() })).ExpectAsync(201);
        return (string)review["status"]!["token"]!;
    }

    private static Task<JsonObject> Post(HttpClient client, string path, string yaml, int status) => client.PostAsync(path, Http.Yaml(yaml)).ExpectAsync(status);

    private static string RoleYaml(string name, string rules) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\nrules:\n{rules}";

    private static string BindingYaml(string name, string roleKind, string role, string subjects) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {roleKind}\n  name: {role}\nsubjects:\n{subjects}";

    private static string ServiceAccountSubject(string name) => $"- kind: ServiceAccount\n  name: {name}\n";

    [Fact]
    public async Task ServiceAccount_GetsWhatItsRoleBindingGrants_InItsNamespaceOnly_AndLosesItWithTheBinding()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await Post(admin, $"/api/v1/namespaces/{ns}/serviceaccounts", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reader\n", 201);
        using var sa = host.Client(await ServiceAccountTokenAsync(admin, ns, "reader"));

        // No binding yet: authenticated, but nothing granted.
        var denied = await sa.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(403);
        Assert.Equal($"pods is forbidden: User \"system:serviceaccount:{ns}:reader\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"", (string?)denied["detail"]);

        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            RoleYaml("pod-reader", "- apiGroups: [\"\"]\n  resources: [pods, pods/log]\n  verbs: [get, list, watch]\n"), 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            BindingYaml("read-pods", "Role", "pod-reader", ServiceAccountSubject("reader")), 201);
        await Eventually.WaitAsync(async () => (await sa.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.OK, Settle, "the binding takes effect");
        await sa.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(403);
        await sa.GetAsync($"/api/v1/namespaces/{other}/pods").ExpectAsync(403);
        await sa.GetAsync($"/api/v1/namespaces/{ns}/configmaps").ExpectAsync(403);

        var who = await sa.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""")).ExpectAsync(201);
        Assert.Equal($"system:serviceaccount:{ns}:reader", (string?)who["status"]!["userInfo"]!["username"]);
        Assert.Equal(["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
            who["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string)g!));

        await admin.DeleteAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings/read-pods").ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await sa.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.Forbidden, Settle, "the grant ends with the binding");
    }

    [Fact]
    public async Task ServiceAccountTokens_Expire_AreRevokedWithTheirAccountOrBoundPod_AndRefuseBadRequests()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await Post(admin, $"/api/v1/namespaces/{ns}/serviceaccounts", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n", 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("app-view", "ClusterRole", "view", ServiceAccountSubject("app")), 201);
        await Post(admin, $"/api/v1/namespaces/{ns}/pods", Http.Pod("runner").Replace("spec:\n", "spec:\n  serviceAccountName: app\n"), 201);
        await Post(admin, $"/api/v1/namespaces/{ns}/pods", Http.Pod("other"), 201);

        var request = await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token",
            Http.Json("""{"spec":{"expirationSeconds":100000,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"runner"}}}""")).ExpectAsync(201);
        Assert.Equal(86400, (long)request["spec"]!["expirationSeconds"]!);
        var expires = DateTimeOffset.Parse((string)request["status"]!["expirationTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        using var bound = host.Client((string)request["status"]!["token"]!);
        using var unbound = host.Client(await ServiceAccountTokenAsync(admin, ns, "app"));
        await Eventually.WaitAsync(async () => (await bound.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.OK, Settle, "view applies");
        var who = await bound.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201);
        Assert.Equal("runner", (string?)who["status"]!["userInfo"]!["extra"]!["authentication.kubernetes.io/pod-name"]![0]);

        // Refused requests name the field.
        var tooShort = await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token", Http.Json("""{"spec":{"expirationSeconds":60}}""")).ExpectAsync(422);
        Assert.Contains("spec.expirationSeconds", tooShort.ToJsonString());
        var wrongPod = await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token",
            Http.Json("""{"spec":{"boundObjectRef":{"kind":"Pod","name":"other"}}}""")).ExpectAsync(422);
        Assert.Contains("runs as ServiceAccount \"default\", not \"app\"", (string?)wrongPod["detail"]);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/missing/token", Http.Json("{}")).ExpectAsync(404);
        await admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token").ExpectAsync(405);
        // A token with a changed payload fails its signature.
        var parts = (await ServiceAccountTokenAsync(admin, ns, "app")).Split('.');
        var forged = parts[0] + "." + parts[1][..^2] + (parts[1][^2..] == "AA" ? "AB" : "AA") + "." + parts[2];
        await host.Client(forged).GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(401);

        // Deleting the pod revokes the token bound to it; deleting the account revokes every token.
        await admin.DeleteAsync($"/api/v1/namespaces/{ns}/pods/runner?gracePeriodSeconds=0").ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await bound.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.Unauthorized, Settle, "the bound token dies with its pod");
        await unbound.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(200);
        await admin.DeleteAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app").ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await unbound.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.Unauthorized, Settle, "tokens die with their account");
    }

    [Fact]
    public async Task EditorToken_IsTheEditClusterRole_NoPodStatus_NoRoles_AndDefaultRolesAreServed()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        using var editor = host.Client(await TokenAsync(admin, "editor", ns));
        await editor.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(201);
        // Status belongs to the node and the scheduler: an editor cannot fake a pod's phase or IP.
        var status = await editor.PatchAsync($"/api/v1/namespaces/{ns}/pods/p/status", """{"status":{"phase":"Running","podIP":"10.0.0.9"}}""").ExpectAsync(403);
        Assert.Contains("cannot patch resource \"pods/status\"", (string?)status["detail"]);
        await editor.PutAsync($"/api/v1/namespaces/{ns}/pods/p/status", Http.Yaml(Http.Pod("p"))).ExpectAsync(403);
        Assert.Equal("Pending", (string?)(await admin.GetAsync($"/api/v1/namespaces/{ns}/pods/p").ExpectAsync(200))["status"]!["phase"]);
        await Post(editor, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", RoleYaml("r", "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get]\n"), 403);
        await Post(editor, $"/api/v1/namespaces/{ns}/resourcequotas", "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    pods: \"100\"\n", 403);

        var edit = await admin.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles/edit").ExpectAsync(200);
        Assert.Equal("true", (string?)edit["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-admin"]);
        Assert.Contains(edit["rules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "pods/exec"));
        var masters = await admin.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin").ExpectAsync(200);
        Assert.Equal("system:masters", (string?)masters["subjects"]![0]!["name"]);
    }

    [Fact]
    public async Task RoleWriters_CannotGrantWhatTheyDoNotHold_UnlessGivenEscalateOrBind()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await Post(admin, $"/api/v1/namespaces/{ns}/serviceaccounts", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: lead\n", 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", RoleYaml("rbac-writer",
            "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [roles, rolebindings]\n  verbs: [create, get, list, update, patch, delete]\n" +
            "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list]\n"), 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("lead", "Role", "rbac-writer", ServiceAccountSubject("lead")), 201);
        using var lead = host.Client(await ServiceAccountTokenAsync(admin, ns, "lead"));
        await Eventually.WaitAsync(async () => (await lead.GetAsync($"/api/v1/namespaces/{ns}/pods")).StatusCode == HttpStatusCode.OK, Settle, "the binding takes effect");

        // Granting what it holds is fine; more is refused with the missing rules listed.
        await Post(lead, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", RoleYaml("pods-list", "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [list]\n"), 201);
        var refused = await Post(lead, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            RoleYaml("secrets", "- apiGroups: [\"\"]\n  resources: [pods, secrets]\n  verbs: [get]\n"), 403);
        Assert.Contains("is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}", (string?)refused["detail"]);
        var widened = await lead.PutAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles/pods-list",
            Http.Yaml(RoleYaml("pods-list", "- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [list, delete]\n"))).ExpectAsync(403);
        Assert.Contains("Verbs:[\"delete\"]", (string?)widened["detail"]);
        // Binding itself to admin would be an escalation; binding what it holds is not.
        await Post(lead, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("up", "ClusterRole", "admin", ServiceAccountSubject("lead")), 403);
        await Post(lead, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("down", "Role", "pods-list", ServiceAccountSubject("lead")), 201);

        // With bind on ClusterRole "view" it may grant view without holding it.
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", RoleYaml("bind-view",
            "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]\n  resourceNames: [view]\n"), 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("lead-bind", "Role", "bind-view", ServiceAccountSubject("lead")), 201);
        await Eventually.WaitAsync(async () => (await lead.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            Http.Yaml(BindingYaml("viewers", "ClusterRole", "view", "- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: readers\n")))).StatusCode == HttpStatusCode.Created, Settle, "bind is honoured");

        // Invalid objects are 422 naming the field.
        var invalid = await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            BindingYaml("bad", "Secret", "x", "- kind: Robot\n  name: r\n"), 422);
        Assert.Contains("roleRef.kind", invalid.ToJsonString());
        Assert.Contains("subjects[0].kind", invalid.ToJsonString());
        var nonResource = await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            RoleYaml("nr", "- nonResourceURLs: [/healthz]\n  verbs: [get]\n"), 422);
        Assert.Contains("namespaced rules cannot apply to non-resource URLs", nonResource.ToJsonString());
        var changed = await admin.PatchAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings/lead", """{"roleRef":{"name":"pods-list"}}""").ExpectAsync(422);
        Assert.Contains("cannot change roleRef", changed.ToJsonString());
    }

    [Fact]
    public async Task SelfReviews_AnswerCanI_AndListTheRules()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        using var editor = host.Client(await TokenAsync(admin, "editor", ns));

        async Task<bool> CanAsync(HttpClient client, string verb, string resource, string? inNs, string? sub = null)
        {
            var review = await client.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Json(new JsonObject
            {
                ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview",
                ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["namespace"] = inNs, ["verb"] = verb, ["resource"] = resource, ["subresource"] = sub } },
            })).ExpectAsync(201);
            return (bool)review["status"]!["allowed"]!;
        }
        Assert.True(await CanAsync(editor, "create", "pods", ns));
        Assert.True(await CanAsync(editor, "create", "pods", ns, "exec"));
        Assert.False(await CanAsync(editor, "create", "pods", other));
        Assert.False(await CanAsync(editor, "patch", "pods", ns, "status"));
        Assert.False(await CanAsync(editor, "list", "nodes", null));
        Assert.True(await CanAsync(admin, "delete", "nodes", null));
        await editor.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Json("""{"spec":{}}""")).ExpectAsync(422);

        var rules = await editor.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Http.Json(new JsonObject { ["spec"] = new JsonObject { ["namespace"] = ns } })).ExpectAsync(201);
        Assert.False((bool)rules["status"]!["incomplete"]!);
        Assert.Contains(rules["status"]!["resourceRules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "secrets")
            && r["verbs"]!.AsArray().Any(v => (string?)v == "create"));
        var elsewhere = await editor.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Http.Json(new JsonObject { ["spec"] = new JsonObject { ["namespace"] = other } })).ExpectAsync(201);
        Assert.DoesNotContain(elsewhere["status"]!["resourceRules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "pods"));

        var discovery = await admin.GetAsync("/apis/authorization.k8s.io/v1").ExpectAsync(200);
        Assert.Contains(discovery["resources"]!.AsArray(), r => (string?)r!["name"] == "selfsubjectaccessreviews");
        var core = await admin.GetAsync("/api/v1").ExpectAsync(200);
        var token = core["resources"]!.AsArray().Single(r => (string?)r!["name"] == "serviceaccounts/token");
        Assert.Equal(("TokenRequest", "authentication.k8s.io"), ((string?)token!["kind"], (string?)token["group"]));
    }

    [Fact]
    public async Task DelegatedAuth_TokenReviewAndSubjectAccessReview_ForAComponentBoundToAuthDelegator()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await Post(admin, $"/api/v1/namespaces/{ns}/serviceaccounts", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n", 201);
        await Post(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", BindingYaml("app-view", "ClusterRole", "view", ServiceAccountSubject("app")), 201);
        var appToken = await ServiceAccountTokenAsync(admin, ns, "app");
        using var component = host.Client(await TokenAsync(admin, "viewer"));

        // Without system:auth-delegator a viewer may not review.
        var body = Http.Json(new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = appToken } });
        await component.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", body).ExpectAsync(403);
        var viewerName = (string)(await component.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201))["status"]!["userInfo"]!["username"]!;
        await Post(admin, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: delegator\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: system:auth-delegator\nsubjects:\n- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: {viewerName}\n", 201);

        var review = await Eventually.WaitAsync(async () =>
        {
            using var r = await component.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews",
                Http.Json(new JsonObject { ["spec"] = new JsonObject { ["token"] = appToken } }));
            return r.StatusCode == HttpStatusCode.Created ? await r.ReadObjectAsync() : null;
        }, Settle, "the delegator binding takes effect");
        Assert.True((bool)review["status"]!["authenticated"]!);
        Assert.Equal($"system:serviceaccount:{ns}:app", (string?)review["status"]!["user"]!["username"]);
        Assert.Null(review["spec"]!["token"]);
        var groups = review["status"]!["user"]!["groups"]!.AsArray().Select(g => (string)g!).ToList();
        var unknown = await component.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", Http.Json("""{"spec":{"token":"plt_nope"}}""")).ExpectAsync(201);
        Assert.False((bool)unknown["status"]!["authenticated"]!);

        async Task<bool> SubjectCanAsync(string verb, string resource, string inNs)
        {
            var answer = await component.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Http.Json(new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["user"] = $"system:serviceaccount:{ns}:app", ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode?)g)]),
                    ["resourceAttributes"] = new JsonObject { ["namespace"] = inNs, ["verb"] = verb, ["resource"] = resource },
                },
            })).ExpectAsync(201);
            return (bool)answer["status"]!["allowed"]!;
        }
        Assert.True(await SubjectCanAsync("get", "configmaps", ns));
        Assert.False(await SubjectCanAsync("get", "configmaps", "default"));
        Assert.False(await SubjectCanAsync("get", "secrets", ns));
        await component.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Http.Json("""{"spec":{"resourceAttributes":{"verb":"get"}}}""")).ExpectAsync(422);
    }

    [Fact]
    public async Task UserToken_HasNoRightsOfItsOwn_AndTheGatewaysClusterRoleLetsItReadRoutesAndSecretsOnly()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var name = "gw-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json(new JsonObject { ["name"] = name, ["role"] = "user" })).ExpectAsync(201);
        using var gateway = host.Client((string)created["token"]!);
        var who = await gateway.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201);
        Assert.Equal(name, (string?)who["status"]!["userInfo"]!["username"]);
        Assert.Equal(["system:authenticated"], who["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string)g!));

        // Nothing before a binding, not even what a viewer token reads.
        await gateway.GetAsync("/apis/gateway.platform.io/v1/routes").ExpectAsync(403);
        await gateway.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(403);

        await Post(admin, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: {name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: system:platform:gateway\nsubjects:\n- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: {name}\n", 201);
        await Eventually.WaitAsync(async () => (await gateway.GetAsync("/apis/gateway.platform.io/v1/routes")).StatusCode == HttpStatusCode.OK, Settle, "the binding takes effect");
        await gateway.GetAsync($"/api/v1/namespaces/{ns}/secrets").ExpectAsync(200);
        await gateway.GetAsync("/api/v1/secrets").ExpectAsync(200);
        // What the gateway follows for lb:// and Ingresses, and the one thing it writes about them.
        await gateway.GetAsync("/api/v1/services").ExpectAsync(200);
        await gateway.GetAsync("/apis/discovery.k8s.io/v1/endpointslices").ExpectAsync(200);
        await gateway.GetAsync("/apis/networking.k8s.io/v1/ingresses").ExpectAsync(200);
        await gateway.GetAsync("/apis/networking.k8s.io/v1/ingressclasses").ExpectAsync(200);
        await gateway.PostAsync($"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", Http.Json("{}")).ExpectAsync(403);
        await gateway.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(403);
        await gateway.PostAsync($"/api/v1/namespaces/{ns}/secrets", Http.Yaml("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n")).ExpectAsync(403);
        await gateway.GetAsync("/apis/auth.platform.io/v1/tokens").ExpectAsync(403);
        // It reports on Routes (their status subresource) and changes nothing else of them.
        await Post(admin, $"/apis/gateway.platform.io/v1/namespaces/{ns}/routes",
            "apiVersion: gateway.platform.io/v1\nkind: Route\nmetadata:\n  name: r\nspec:\n  uri: lb://web\n", 201);
        await gateway.PatchAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes/r/status",
            Http.MergePatch("""{"status":{"observedGeneration":1}}""")).ExpectAsync(200);
        await gateway.PatchAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes/r", Http.MergePatch("""{"spec":{"order":5}}""")).ExpectAsync(403);

        // The token API names the new role among those it accepts.
        var bad = await admin.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json("""{"name":"x","role":"serviceaccount"}""")).ExpectAsync(422);
        Assert.Contains("apiserver, user", bad.ToJsonString());
    }

    [Fact]
    public async Task NodeTokens_GetServiceAccountTokens_OnlyBoundToPodsOnTheirNode()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        foreach (var n in new[] { "sa-node-a", "sa-node-b" })
            await Post(admin, "/api/v1/nodes", $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {n}\n", 201);
        await Post(admin, $"/api/v1/namespaces/{ns}/serviceaccounts", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n", 201);
        foreach (var (podName, nodeName) in new[] { ("on-a", "sa-node-a"), ("on-b", "sa-node-b") })
            await Post(admin, $"/api/v1/namespaces/{ns}/pods", Http.Pod(podName).Replace("spec:\n", $"spec:\n  serviceAccountName: app\n  nodeName: {nodeName}\n"), 201);
        var nodeToken = (string)(await admin.PostAsync("/apis/auth.platform.io/v1/tokens",
            Http.Json(new JsonObject { ["name"] = "sa-node-a", ["role"] = "node", ["nodeName"] = "sa-node-a" })).ExpectAsync(201))["token"]!;
        using var node = host.Client(nodeToken);
        static JsonObject Bound(string podName) => new() { ["spec"] = new JsonObject { ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = podName } } };

        var issued = await node.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token", Http.Json(Bound("on-a"))).ExpectAsync(201);
        using var pod = host.Client((string)issued["status"]!["token"]!);
        var who = await pod.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201);
        Assert.Equal($"system:serviceaccount:{ns}:app", (string?)who["status"]!["userInfo"]!["username"]);
        await node.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token", Http.Json(Bound("on-b"))).ExpectAsync(403);
        var unbound = await node.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app/token", Http.Json("{}")).ExpectAsync(403);
        Assert.Contains("may only request tokens bound to a pod on it", (string?)unbound["detail"]);
        await node.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app").ExpectAsync(403);
    }
}
