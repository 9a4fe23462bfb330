using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl's imperative commands: client-go's typed clients send built-in kinds as Kubernetes protobuf
/// (<c>application/vnd.kubernetes.protobuf</c>) and read the JSON answers.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlCreateTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KubectlCreate_OfEveryServedKind_StoresWhatWasAsked()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "create-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        async Task<string> Get(string what, string jsonPath) => await kubectl.OkAsync(null, "get", what, "-o", "jsonpath=" + jsonPath);

        Assert.Equal($"namespace/{ns} created\n", await kubectl.OkAsync(null, "create", "namespace", ns));
        Assert.Equal("Active", await Get($"namespace/{ns}", "{.status.phase}"));

        Assert.Equal("configmap/cm created\n", await kubectl.OkAsync(null, "create", "configmap", "cm", "--from-literal=a=b", "--from-literal=empty="));
        Assert.Equal("""{"a":"b","empty":""}""", await Get("configmap/cm", "{.data}"));
        var again = await kubectl.RunAsync(null, "create", "configmap", "cm", "--from-literal=a=b");
        Assert.Equal("error: failed to create configmap: configmaps \"cm\" already exists\n", again.Stderr);

        Assert.Equal("secret/s created\n", await kubectl.OkAsync(null, "create", "secret", "generic", "s", "--from-literal=user=admin", "--from-literal=pw=s3cr3t"));
        Assert.Equal("admin s3cr3t", Decode64(await Get("secret/s", "{.data.user}")) + " " + Decode64(await Get("secret/s", "{.data.pw}")));

        Assert.Equal("deployment.apps/web created\n",
            await kubectl.OkAsync(null, "create", "deployment", "web", "--image=platform/busybox:latest", "--replicas=3", "--port=8080"));
        Assert.Equal("3 web platform/busybox:latest 8080", await Get("deployment/web",
            "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}"));
        await kubectl.OkAsync(null, "create", "deployment", "idle", "--image=platform/busybox:latest", "--replicas=0");
        Assert.Equal("0", await Get("deployment/idle", "{.spec.replicas}"));   // a pointer's zero survives protobuf

        Assert.Equal("service/web created\n", await kubectl.OkAsync(null, "create", "service", "clusterip", "web", "--tcp=80:8080"));
        Assert.Equal("ClusterIP 80 8080 TCP web", await Get("service/web",
            "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol} {.spec.selector.app}"));

        Assert.Equal("resourcequota/q created\n", await kubectl.OkAsync(null, "create", "quota", "q", "--hard=pods=10,requests.cpu=2,requests.memory=1Gi"));
        Assert.Equal("10 2 1Gi", await Get("quota/q", "{.spec.hard.pods} {.spec.hard.requests\\.cpu} {.spec.hard.requests\\.memory}"));

        Assert.Equal("serviceaccount/sa created\n", await kubectl.OkAsync(null, "create", "serviceaccount", "sa"));
        Assert.Equal("role.rbac.authorization.k8s.io/pod-reader created\n",
            await kubectl.OkAsync(null, "create", "role", "pod-reader", "--verb=get,list", "--resource=pods"));
        Assert.Equal("""["get","list"] ["pods"]""", await Get("role/pod-reader", "{.rules[0].verbs} {.rules[0].resources}"));
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/read-pods created\n",
            await kubectl.OkAsync(null, "create", "rolebinding", "read-pods", "--role=pod-reader", $"--serviceaccount={ns}:sa"));
        Assert.Equal($"Role pod-reader ServiceAccount sa {ns}", await Get("rolebinding/read-pods",
            "{.roleRef.kind} {.roleRef.name} {.subjects[0].kind} {.subjects[0].name} {.subjects[0].namespace}"));

        var clusterRole = ns + "-nodes";
        await kubectl.OkAsync(null, "create", "clusterrole", clusterRole, "--verb=get,list", "--resource=nodes");
        Assert.Equal("""["get","list"] ["nodes"]""", await Get($"clusterrole/{clusterRole}", "{.rules[0].verbs} {.rules[0].resources}"));
        await kubectl.OkAsync(null, "create", "clusterrolebinding", clusterRole, $"--clusterrole={clusterRole}", $"--serviceaccount={ns}:sa");
        Assert.Equal($"ClusterRole {clusterRole} sa", await Get($"clusterrolebinding/{clusterRole}", "{.roleRef.kind} {.roleRef.name} {.subjects[0].name}"));

        // A TokenRequest (authentication.k8s.io/v1, in protobuf) for the ServiceAccount: a token that acts as it.
        var token = (await kubectl.OkAsync(null, "create", "token", "sa", "--duration=10m")).Trim();
        var claims = JsonNode.Parse(Decode64Url(token.Split('.')[1]))!;
        Assert.Equal($"system:serviceaccount:{ns}:sa", (string?)claims["sub"]);
        Assert.Equal(600, (long)claims["exp"]! - (long)claims["iat"]!);
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "list", "pods", "--token=" + token));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "get", "nodes", "--token=" + token));
        var denied = await kubectl.RunAsync(null, "auth", "can-i", "delete", "pods", "--token=" + token);
        Assert.Equal(("no", 1), (denied.Stdout.Trim(), denied.ExitCode));
        Assert.Matches($@"(?m)^Username\s+system:serviceaccount:{ns}:sa$", await kubectl.OkAsync(null, "auth", "whoami", "--token=" + token));

        // A server-side dry run in protobuf stores nothing.
        Assert.Equal("configmap/dry created (server dry run)\n", await kubectl.OkAsync(null, "create", "configmap", "dry", "--from-literal=x=y", "--dry-run=server"));
        Assert.Contains("NotFound", (await kubectl.RunAsync(null, "get", "configmap", "dry")).Stderr);
    }

    private static string Decode64(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    private static string Decode64Url(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return Decode64(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
