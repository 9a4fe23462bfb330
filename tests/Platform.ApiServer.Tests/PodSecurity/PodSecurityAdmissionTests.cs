using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using static Platform.ApiServer.Tests.PodSecurity.PodSecurityApi;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>Pod Security admission through the API: enforce refuses, warn and workloads warn, updates, exemptions, defaults.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class PodSecurityAdmissionTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task HostPathRoot_InTheDefaultNamespace_Is403_ViolatesBaseline_AndIsNotStored()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        const string expected = "pods \"shadow\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"host\")";

        var refused = await http.PostAsync("/api/v1/namespaces/default/pods", Pod("shadow", HostPathRoot)).ExpectAsync(403);
        Assert.Equal(expected, (string?)refused["detail"]);
        Assert.Equal("Forbidden", (string?)refused["reason"]);

        // kubectl's view of the same refusal: a v1 Status.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/pods") { Content = Pod("shadow", HostPathRoot) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        var status = await response.ReadObjectAsync();
        Assert.Equal(("Status", "Failure", "Forbidden", 403, expected),
            ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"], (string?)status["message"]));
        await http.GetAsync("/api/v1/namespaces/default/pods/shadow").ExpectAsync(404);
    }

    [Fact]
    public async Task Editor_InItsOwnNamespace_CannotMountTheHost_NorRunPrivileged_ButRunsPlainPods()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var token = (string)(await admin.PostTokenAsync("team-editor", "editor", ns).ExpectAsync(201))["token"]!;
        using var editor = host.Client(token);
        var pods = $"/api/v1/namespaces/{ns}/pods";

        await editor.PostAsync(pods, Pod("shadow", HostPathRoot)).ExpectAsync(403);
        var privileged = await editor.PostAsync(pods, Pod("root", """{"containers":[{"name":"main","image":"x","securityContext":{"privileged":true}}]}""")).ExpectAsync(403);
        Assert.Equal("pods \"root\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"main\" must not set securityContext.privileged=true)",
            (string?)privileged["detail"]);
        var (code, _, warnings) = await editor.SendAsync(HttpMethod.Post, pods, Pod("plain", Plain));
        Assert.Equal(201, code);
        Assert.Empty(warnings);

        // Nor can the editor lower its namespace's level.
        using var label = await editor.PatchAsync($"/api/v1/namespaces/{ns}", $$$$"""{"metadata":{"labels":{"{{{{PodSecurityLabels.Enforce}}}}":"privileged"}}}""");
        Assert.Equal(403, (int)label.StatusCode);
        Assert.False((await admin.GetAsync($"/api/v1/namespaces/{ns}").ExpectAsync(200))["metadata"]!["labels"]?.AsObject().ContainsKey(PodSecurityLabels.Enforce) ?? false);
    }

    [Fact]
    public async Task PodSecurityLabels_TakeAnAdmin_ARoleBindingToUpdateTheNamespaceIsNotEnough_AClusterWideGrantIs()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var editorName = "ed-" + Guid.NewGuid().ToString("N")[..6];
        using var editor = host.Client((string)(await admin.PostTokenAsync(editorName, "editor", ns).ExpectAsync(201))["token"]!);
        var opsName = "ops-" + Guid.NewGuid().ToString("N")[..6];
        using var ops = host.Client((string)(await admin.PostTokenAsync(opsName, "viewer", null).ExpectAsync(201))["token"]!);
        const string namespaceWriter = "rules:\n- apiGroups: [\"\"]\n  resources: [namespaces]\n  verbs: [get, update, patch]\n";
        string Subject(string user) => $"subjects:\n- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: {user}\n";
        const string RoleRef = "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n";
        // The team may update its own Namespace object (a RoleBinding in it) ...
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Http.Yaml(
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ns-writer\n{namespaceWriter}")).ExpectAsync(201);
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", Http.Yaml(
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ns-writer\n{RoleRef}  kind: Role\n  name: ns-writer\n{Subject(editorName)}")).ExpectAsync(201);
        // ... operations may update every namespace (a ClusterRoleBinding).
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", Http.Yaml(
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: psa-ns-writer-{ns}\n{namespaceWriter}")).ExpectAsync(201);
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Http.Yaml(
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: psa-ns-writer-{ns}\n{RoleRef}  kind: ClusterRole\n  name: psa-ns-writer-{ns}\n{Subject(opsName)}")).ExpectAsync(201);

        // Bindings reach the authorizer through its informers: wait until the editor may relabel its namespace at all.
        await Eventually.WaitAsync(async () =>
        {
            using var r = await editor.PatchAsync($"/api/v1/namespaces/{ns}", """{"metadata":{"labels":{"team":"a"}}}""");
            return r.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20), "the editor's RoleBinding in effect");
        var refused = await editor.PatchAsync($"/api/v1/namespaces/{ns}", $$$$"""{"metadata":{"labels":{"{{{{PodSecurityLabels.Enforce}}}}":"privileged"}}}""").ExpectAsync(403);
        Assert.Equal($"namespaces \"{ns}\" is forbidden: User \"{editorName}\" may not set metadata.labels[pod-security.kubernetes.io/enforce]: " +
            "a namespace's Pod Security level is set by an admin (an admin token, or RBAC's update of namespaces at the cluster scope)", (string?)refused["detail"]);

        await Eventually.WaitAsync(async () =>
        {
            using var r = await ops.PatchAsync($"/api/v1/namespaces/{ns}", $$$$"""{"metadata":{"labels":{"{{{{PodSecurityLabels.Enforce}}}}":"restricted"}}}""");
            return r.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20), "the cluster-wide grant lets operations set the level");
        var labels = (await admin.GetAsync($"/api/v1/namespaces/{ns}").ExpectAsync(200))["metadata"]!["labels"]!;
        Assert.Equal(("restricted", "a"), ((string?)labels[PodSecurityLabels.Enforce], (string?)labels["team"]));
        // Removing the label is a change of level too.
        await editor.PatchAsync($"/api/v1/namespaces/{ns}", $$$$"""{"metadata":{"labels":{"{{{{PodSecurityLabels.Enforce}}}}":null}}}""").ExpectAsync(403);
    }

    [Fact]
    public async Task PrivilegedNamespace_LabelledByAnAdmin_AdmitsHostPathAndPrivilegedPods()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "privileged"), (PodSecurityLabels.Warn, "privileged"));

        var (code, _, warnings) = await http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod("agent",
            """{"hostPID":true,"containers":[{"name":"main","image":"x","securityContext":{"privileged":true}}],"volumes":[{"name":"host","hostPath":{"path":"/"}}]}"""));
        Assert.Equal(201, code);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task RestrictedNamespace_RefusesAPlainPod_NamingEveryCheck_AdmitsAHardenedOne()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "restricted"), (PodSecurityLabels.EnforceVersion, "v1.32"));
        var pods = $"/api/v1/namespaces/{ns}/pods";

        var refused = await http.PostAsync(pods, Pod("plain", Plain)).ExpectAsync(403);
        Assert.Equal("pods \"plain\" is forbidden: violates PodSecurity \"restricted:v1.32\": " +
            "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            (string?)refused["detail"]);
        await http.PostAsync(pods, Pod("hardened", Restricted)).ExpectAsync(201);
    }

    [Fact]
    public async Task WarnLevel_AnswersWarningHeaders_ForAPodTheEnforceLevelAdmits()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "baseline"), (PodSecurityLabels.Warn, "restricted"));

        var (code, _, warnings) = await http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod("plain", Plain));
        Assert.Equal(201, code);
        var warning = Assert.Single(warnings);
        Assert.StartsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"main\" must set", warning);
    }

    [Fact]
    public async Task Workloads_WithAViolatingTemplate_AreAdmittedWithAWarning_TheirPodsAreNot()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        const string spec = """
            {"containers":[{"name":"main","image":"x","volumeMounts":[{"name":"host","mountPath":"/host"}]}],"volumes":[{"name":"host","hostPath":{"path":"/var/log"}}]}
            """;
        const string template = $$$"""{"metadata":{"labels":{"app":"web"}},"spec":{{{spec}}}}""";
        const string warning = "would violate PodSecurity \"baseline:latest\": hostPath volumes (volume \"host\")";

        var (code, _, warnings) = await http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Http.Json(
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":""" + template + "}}"));
        Assert.Equal(201, code);
        Assert.Equal([warning], warnings);
        (code, _, warnings) = await http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/replicasets", Http.Json(
            """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":""" + template + "}}"));
        Assert.Equal(201, code);
        Assert.Equal([warning], warnings);
        // Scaling is a subresource write: no evaluation, no warning.
        (code, _, warnings) = await http.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale", Http.MergePatch("""{"spec":{"replicas":3}}"""));
        Assert.Equal((200, 0), (code, warnings.Count));

        var pod = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("web-1-abcde", spec)).ExpectAsync(403);
        Assert.Equal("pods \"web-1-abcde\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"host\")", (string?)pod["detail"]);
    }

    [Fact]
    public async Task PodUpdates_AreCheckedWhenTheyChangeTheSpec_NotWhenOnlyLabelsChange()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(pods, Pod("web", Plain)).ExpectAsync(201);
        var escalate = await http.PatchAsync($"{pods}/web", """{"spec":{"containers":[{"name":"main","image":"platform/busybox:latest","securityContext":{"privileged":true}}]}}""").ExpectAsync(403);
        Assert.Equal("pods \"web\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"main\" must not set securityContext.privileged=true)", (string?)escalate["detail"]);

        // A pod admitted under privileged stays when the namespace gets stricter: the admin hears which pods violate the new level.
        await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "privileged"));
        await http.PostAsync(pods, Pod("agent", HostPathRoot)).ExpectAsync(201);
        var warnings = await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "baseline"));
        Assert.Equal([$"existing pods in namespace \"{ns}\" violate the new PodSecurity enforce level \"baseline:latest\"", "agent: hostPath volumes"], warnings);
        await http.PatchAsync($"{pods}/agent", """{"metadata":{"labels":{"tier":"node"}}}""").ExpectAsync(200);
        await http.PatchAsync($"{pods}/agent", """{"spec":{"containers":[{"name":"main","image":"platform/busybox:v2"}]}}""").ExpectAsync(403);
    }

    [Fact]
    public async Task NamespaceLabels_WithUnknownValues_Are422NamingTheLabelAndWhatItTakes()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();

        var level = await http.PatchAsync($"/api/v1/namespaces/{ns}", $$$$"""{"metadata":{"labels":{"{{{{PodSecurityLabels.Enforce}}}}":"strict"}}}""").ExpectAsync(422);
        Assert.Equal($"Namespace \"{ns}\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            (string?)level["detail"]);
        var version = await http.PostAsync("/api/v1/namespaces", Http.Json(
            $$$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{{ns}}}}-b","labels":{"{{{{PodSecurityLabels.WarnVersion}}}}":"1.30"}}}""")).ExpectAsync(422);
        Assert.Equal("metadata.labels[pod-security.kubernetes.io/warn-version]", (string?)version["errors"]![0]!["field"]);
        Assert.Equal("Invalid value: \"1.30\": must be \"latest\" or \"v1.x\"", (string?)version["errors"]![0]!["reason"]);
        await http.LabelAsync(ns, (PodSecurityLabels.Audit, "restricted"), (PodSecurityLabels.AuditVersion, "v1.29"));
    }

    [Fact]
    public async Task ExemptNamespaces_AdmitAnything_AndLabelsOnThemAreAnsweredWithAWarning()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        await http.PostAsync("/api/v1/namespaces/kube-system/pods", Pod("agent", HostPathRoot)).ExpectAsync(201);
        var warnings = await http.LabelAsync("kube-system", (PodSecurityLabels.Enforce, "restricted"));
        Assert.Equal(["namespace \"kube-system\" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored"], warnings);
        await http.PostAsync("/api/v1/namespaces/kube-system/pods", Pod("agent-2", HostPathRoot)).ExpectAsync(201);
    }

    [Fact]
    public async Task DefaultEnforce_IsConfigurable_AndTheAuditLogCarriesKubernetesPodSecurityAnnotations()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:PodSecurity:DefaultEnforce"] = "restricted";
            s["ApiServer:PodSecurity:DefaultAudit"] = "restricted";
        });
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var refused = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("plain", Plain)).ExpectAsync(403);
        Assert.StartsWith("pods \"plain\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", (string?)refused["detail"]);
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("hardened", Restricted)).ExpectAsync(201);
        await http.PostAsync("/api/v1/namespaces/kube-system/pods", Pod($"agent-{ns}", HostPathRoot)).ExpectAsync(201);

        var path = Path.Combine(host.StateDirectory, "audit.log");
        var events = await Eventually.WaitAsync(async () =>
        {
            if (!File.Exists(path)) return null;
            var lines = (await File.ReadAllLinesAsync(path)).Select(l => JsonNode.Parse(l)!.AsObject())
                .Where(e => e["requestURI"]!.ToString().Contains("/pods", StringComparison.Ordinal) && (string?)e["verb"] == "create").ToList();
            return lines.Count >= 3 ? lines : null;
        }, TimeSpan.FromSeconds(10), "three pod creations audited");
        JsonObject Annotations(int code, string nsOf) => events.Single(e => (int)e["responseStatus"]!["code"]! == code && (string?)e["objectRef"]!["namespace"] == nsOf)["annotations"]!.AsObject();

        var denied = Annotations(403, ns);
        Assert.Equal("restricted:latest", (string?)denied["pod-security.kubernetes.io/enforce-policy"]);
        Assert.StartsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"main\" must set",
            (string?)denied["pod-security.kubernetes.io/audit-violations"]);
        var admitted = Annotations(201, ns);
        Assert.Equal("restricted:latest", (string?)admitted["pod-security.kubernetes.io/enforce-policy"]);
        Assert.False(admitted.ContainsKey("pod-security.kubernetes.io/audit-violations"));
        Assert.Equal("namespace", (string?)Annotations(201, "kube-system")["pod-security.kubernetes.io/exempt"]);
    }

    [Fact]
    public void Options_NameTheInvalidKey()
    {
        var result = new PodSecurityOptionsValidator().Validate(null, new PodSecurityOptions { DefaultEnforce = "strict", DefaultWarnVersion = "1.30", ExemptNamespaces = ["Kube_System"] });
        Assert.Equal(
        [
            "ApiServer:PodSecurity:DefaultEnforce: 'strict' is not one of privileged, baseline, restricted",
            "ApiServer:PodSecurity:DefaultWarnVersion: '1.30' must be \"latest\" or \"v1.x\"",
            "ApiServer:PodSecurity:ExemptNamespaces:0: 'Kube_System' is not a namespace name (a DNS-1123 label)",
        ], result.Failures!);
    }
}
