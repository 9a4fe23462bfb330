using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// RBAC as kubectl users meet it: <c>create serviceaccount|role|rolebinding|token</c>, <c>auth can-i</c> (one verb and
/// <c>--list</c>), <c>auth whoami</c>, and the refusal a ServiceAccount's kubeconfig gets outside its grant.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlAuthTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ServiceAccount_RoleAndBinding_FromKubectl_CanIMatchesTheRole()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "team-" + Guid.NewGuid().ToString("N")[..8];
        var other = "other-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        foreach (var n in new[] { ns, other }) await kubectl.OkAsync(null, "create", "namespace", n);

        Assert.Equal("serviceaccount/deployer created\n", await kubectl.OkAsync(null, "create", "serviceaccount", "deployer"));
        Assert.Equal("role.rbac.authorization.k8s.io/deployer created\n", await kubectl.OkAsync(null, "create", "role", "deployer",
            "--verb=get,list,watch,create,update,patch,delete", "--resource=deployments.apps,replicasets.apps"));
        await kubectl.OkAsync("""[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}}]""",
            "patch", "role", "deployer", "--type=json", "--patch-file=/dev/stdin");
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/deployer created\n", await kubectl.OkAsync(null, "create", "rolebinding", "deployer",
            "--role=deployer", $"--serviceaccount={ns}:deployer"));
        Assert.Contains("deployer", await kubectl.OkAsync(null, "get", "roles,rolebindings"));
        Assert.Contains("cluster-admin", await kubectl.OkAsync(null, "get", "clusterroles"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "delete", "nodes"));

        var token = (await kubectl.OkAsync(null, "create", "token", "deployer", "--duration=20m")).Trim();
        Assert.StartsWith("eyJ", token);
        kubectl.WriteKubeconfig(host.BaseAddress, token, ns);

        await Eventually.WaitAsync(async () => (await kubectl.RunAsync(null, "auth", "can-i", "create", "deployments")).Stdout == "yes\n", TimeSpan.FromSeconds(15), "the binding reaches the authorizer");
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "delete", "pods")).Stdout);
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "create", "deployments", "-n", other)).Stdout);
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "get", "secrets")).Stdout);

        // can-i --list shows the Role's rules (plus the self-reviews every user has).
        var list = await kubectl.OkAsync(null, "auth", "can-i", "--list");
        var lines = list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.StartsWith("Resources Non-Resource URLs Resource Names Verbs", lines[0]);
        Assert.Contains("deployments.apps [] [] [get list watch create update patch delete]", lines);
        Assert.Contains("replicasets.apps [] [] [get list watch create update patch delete]", lines);
        Assert.Contains("pods [] [] [get]", lines);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io [] [] [create]", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("secrets", StringComparison.Ordinal));

        var whoami = await kubectl.OkAsync(null, "auth", "whoami");
        Assert.Contains($"system:serviceaccount:{ns}:deployer", whoami);

        var denied = await kubectl.RunAsync(null, "get", "secrets");
        Assert.Equal(1, denied.ExitCode);
        Assert.Equal($"Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:{ns}:deployer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\"\n", denied.Stderr);
    }

    [Fact]
    public async Task Impersonation_AsAServiceAccountOrUser_ActsWithTheirRights_AndNeedsTheImpersonateVerb()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "team-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);
        await kubectl.OkAsync(null, "create", "serviceaccount", "reader");
        await kubectl.OkAsync(null, "create", "rolebinding", "reader-view", "--clusterrole=view", $"--serviceaccount={ns}:reader");
        await kubectl.OkAsync(null, "create", "rolebinding", "jane-edit", "--clusterrole=edit", "--user=jane");
        var sa = $"--as=system:serviceaccount:{ns}:reader";

        // The admin acts as the ServiceAccount: its rights, not the admin's, and whoami names it.
        await Eventually.WaitAsync(async () => (await kubectl.RunAsync(null, "auth", "can-i", "list", "pods", sa)).Stdout == "yes\n", TimeSpan.FromSeconds(15), "the bindings reach the authorizer");
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "create", "pods", sa)).Stdout);
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "delete", "nodes", sa)).Stdout);
        var whoami = await kubectl.OkAsync(null, "auth", "whoami", sa, "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}");
        Assert.Equal($"system:serviceaccount:{ns}:reader [\"system:serviceaccounts\",\"system:serviceaccounts:{ns}\",\"system:authenticated\"]", whoami);
        var refused = await kubectl.RunAsync(null, "create", "configmap", "x", sa);
        Assert.Equal($"error: failed to create configmap: configmaps is forbidden: User \"system:serviceaccount:{ns}:reader\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"\n", refused.Stderr);
        var list = await kubectl.OkAsync(null, "auth", "can-i", "--list", "--as=jane");
        Assert.Contains(list.Split('\n'), l => l.StartsWith("configmaps ", StringComparison.Ordinal) && l.Contains("create"));
        Assert.Equal("configmap/by-jane created\n", await kubectl.OkAsync(null, "create", "configmap", "by-jane", "--as=jane", "--as-group=devs"));

        // An editor may impersonate ServiceAccounts of its namespace (edit holds that verb), but not users or groups.
        using var tls = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            BaseAddress = host.BaseAddress,
            DefaultRequestHeaders = { Authorization = new("Bearer", host.AdminToken) },
        };
        var created = await tls.PostAsync("/apis/auth.platform.io/v1/tokens",
            Http.Json(new System.Text.Json.Nodes.JsonObject { ["name"] = "ed-" + Guid.NewGuid().ToString("N")[..6], ["role"] = "editor", ["namespace"] = ns })).ExpectAsync(201);
        var editor = (string)created["token"]!;
        kubectl.WriteKubeconfig(host.BaseAddress, editor, ns);
        Assert.Equal("yes\n", (await kubectl.RunAsync(null, "auth", "can-i", "get", "pods", sa)).Stdout);
        var asJane = await kubectl.RunAsync(null, "get", "pods", "--as=jane");
        Assert.Equal(1, asJane.ExitCode);
        Assert.Contains("users \"jane\" is forbidden: User", asJane.Stderr);
        Assert.Contains("cannot impersonate resource \"users\" in API group \"\" at the cluster scope", asJane.Stderr);
        var asGroup = await kubectl.RunAsync(null, "get", "pods", sa, "--as-group=system:masters");
        Assert.Contains("groups \"system:masters\" is forbidden", asGroup.Stderr);

        // A group without a user is a bad request.
        var groupOnly = await kubectl.RunAsync(null, "get", "pods", "--as-group=devs");
        Assert.Equal(1, groupOnly.ExitCode);
        Assert.Contains("without impersonating a user", groupOnly.Stderr);
    }
}
