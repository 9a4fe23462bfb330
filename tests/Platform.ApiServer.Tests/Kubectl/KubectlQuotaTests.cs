using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>kubectl on quotas and LimitRanges: <c>create quota</c>, <c>describe quota</c> showing what is used, <c>get limitranges</c>, and the refusal as kubectl prints it.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlQuotaTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string LimitRange = """
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: limits
        spec:
          limits:
            - type: Container
              default: {cpu: 500m, memory: 256Mi}
              defaultRequest: {cpu: 100m, memory: 128Mi}
              max: {cpu: "1"}
        """;

    [Fact]
    public async Task CreateQuota_DescribeShowsUsed_GetLimitRanges_AndTheRefusal()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "quota-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Equal("resourcequota/q created\n", await kubectl.OkAsync(null, "create", "quota", "q", "--hard=pods=2,configmaps=3,count/secrets=2,limits.cpu=2"));
        await kubectl.OkAsync(null, "create", "configmap", "one", "--from-literal=a=b");
        await kubectl.OkAsync(null, "create", "configmap", "two", "--from-literal=a=b");
        var described = await kubectl.OkAsync(null, "describe", "quota", "q");
        Assert.Matches(@"(?m)^Resource\s+Used\s+Hard$", described);
        Assert.Matches(@"(?m)^configmaps\s+2\s+3$", described);
        Assert.Matches(@"(?m)^count/secrets\s+0\s+2$", described);
        Assert.Matches(@"(?m)^pods\s+0\s+2$", described);

        Assert.Equal("limitrange/limits created\n", await kubectl.OkAsync(LimitRange, "apply", "-f", "-"));
        var ranges = (await kubectl.OkAsync(null, "get", "limitranges")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CREATED AT$", ranges[0]);
        Assert.Matches(@"^limits\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ranges[1]);
        Assert.Matches(@"(?m)^\s*Container\s+cpu\s+-\s+1\s+100m\s+500m\s+-", await kubectl.OkAsync(null, "describe", "limits", "limits"));

        // A pod without resources gets the LimitRange's, which the quota (limiting limits.cpu) then accepts and counts.
        Assert.Equal("pod/web created\n", await kubectl.OkAsync(null, "run", "web", "--image=nginx:1.25", "--restart=Never"));
        Assert.Equal("500m 100m", await kubectl.OkAsync(null, "get", "pod", "web", "-o",
            "jsonpath={.spec.containers[0].resources.limits.cpu} {.spec.containers[0].resources.requests.cpu}"));
        Assert.Matches(@"(?m)^limits\.cpu\s+500m\s+2$", await kubectl.OkAsync(null, "describe", "quota", "q"));
        Assert.Matches(@"(?m)^q\s+\d+s\s+configmaps: 2/3, count/secrets: 0/2, pods: 1/2\s+limits\.cpu: 500m/2$",
            (await kubectl.OkAsync(null, "get", "quota")).Split('\n')[1]);

        var refused = await kubectl.RunAsync(null, "run", "big", "--image=nginx:1.25", "--restart=Never", "--overrides",
            """{"spec":{"containers":[{"name":"big","image":"nginx:1.25","resources":{"limits":{"cpu":"2"}}}]}}""");
        Assert.Equal("Error from server (Forbidden): pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n", refused.Stderr);
    }
}
