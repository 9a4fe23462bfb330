using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Quota;

/// <summary>ResourceQuota admission: compute and object-count quotas refused with Kubernetes' message, and <c>status</c> kept at admission.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class QuotaTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static string Pod(string name, string cpu, string memory) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          containers:
            - name: main
              image: nginx:1.25
              resources:
                requests:
                  cpu: {cpu}
                  memory: {memory}
        """;

    private static string Quota(string name, params string[] hard) =>
        $"apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: {name}\nspec:\n  hard:\n" + string.Concat(hard.Select(h => $"    {h}\n"));

    private static string ConfigMap(string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n";

    [Fact]
    public async Task PodCreate_BeyondQuota_Is403NamingTheQuotaAndAmounts()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas", Http.Yaml(Quota("compute-quota", "pods: \"3\"", "requests.cpu: \"1\"", "requests.memory: 1Gi"))).ExpectAsync(201);
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(pods, Http.Yaml(Pod("a", "400m", "256Mi"))).ExpectAsync(201);
        await http.PostAsync(pods, Http.Yaml(Pod("b", "500m", "256Mi"))).ExpectAsync(201);
        var cpu = await http.PostAsync(pods, Http.Yaml(Pod("c", "200m", "128Mi"))).ExpectAsync(403);
        Assert.Equal("pods \"c\" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1", (string?)cpu["detail"]);
        await http.PostAsync(pods, Http.Yaml(Pod("c", "100m", "128Mi"))).ExpectAsync(201);
        var count = await http.PostAsync(pods, Http.Yaml(Pod("d", "0", "1Mi"))).ExpectAsync(403);
        Assert.Equal("pods \"d\" is forbidden: exceeded quota: compute-quota, requested: pods=1, used: pods=3, limited: pods=3", (string?)count["detail"]);
        var missing = await http.PostAsync(pods, Http.Yaml(Http.Pod("e"))).ExpectAsync(403);
        Assert.Equal("pods \"e\" is forbidden: failed quota: compute-quota: must specify requests.cpu for: main; requests.memory for: main", (string?)missing["detail"]);

        // Admission keeps the quota's status: hard from the spec, used as charged.
        var quota = await http.GetAsync($"/api/v1/namespaces/{ns}/resourcequotas/compute-quota").ExpectAsync(200);
        Assert.Equal("""{"pods":"3","requests.cpu":"1","requests.memory":"1Gi"}""", Sorted(quota["status"]!["hard"]!));
        Assert.Equal("""{"pods":"3","requests.cpu":"1","requests.memory":"640Mi"}""", Sorted(quota["status"]!["used"]!));
    }

    [Fact]
    public async Task ObjectCounts_StandardAndCountNames_AreEnforcedPerKind()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/resourcequotas", Http.Yaml(Quota("objects",
            "configmaps: \"2\"", "secrets: \"1\"", "services: \"2\"", "services.nodeports: \"1\"", "count/deployments.apps: \"1\"", "count/serviceaccounts: \"1\""))).ExpectAsync(201);

        await http.PostAsync($"{api}/configmaps", Http.Yaml(ConfigMap("one"))).ExpectAsync(201);
        await http.PostAsync($"{api}/configmaps", Http.Yaml(ConfigMap("two"))).ExpectAsync(201);
        var third = await http.PostAsync($"{api}/configmaps", Http.Yaml(ConfigMap("three"))).ExpectAsync(403);
        Assert.Equal("configmaps \"three\" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2", (string?)third["detail"]);

        await http.PostAsync($"{api}/secrets", Http.Yaml("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  pw: x\n")).ExpectAsync(201);
        var secret = await http.PostAsync($"{api}/secrets", Http.Yaml("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s2\n")).ExpectAsync(403);
        Assert.Contains("exceeded quota: objects, requested: secrets=1, used: secrets=1, limited: secrets=1", (string?)secret["detail"]);

        const string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {0}\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {{app: {0}}}\n" +
            "  template:\n    metadata:\n      labels: {{app: {0}}}\n    spec:\n      containers:\n        - name: main\n          image: nginx:1.25\n";
        await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml(string.Format(deployment, "web"))).ExpectAsync(201);
        var second = await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml(string.Format(deployment, "api"))).ExpectAsync(403);
        Assert.Equal("deployments.apps \"api\" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1",
            (string?)second["detail"]);

        // A NodePort Service uses one node port per port; ClusterIP Services none.
        const string service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {0}\nspec:\n  type: {1}\n  selector: {{app: web}}\n  ports:\n    - port: 80\n";
        await http.PostAsync($"{api}/services", Http.Yaml(string.Format(service, "web", "NodePort"))).ExpectAsync(201);
        var nodePort = await http.PostAsync($"{api}/services", Http.Yaml(string.Format(service, "web2", "NodePort"))).ExpectAsync(403);
        Assert.Contains("requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1", (string?)nodePort["detail"]);
        await http.PostAsync($"{api}/services", Http.Yaml(string.Format(service, "internal", "ClusterIP"))).ExpectAsync(201);
        // ... and turning it into a NodePort Service is charged too.
        var turned = await http.PatchAsync($"{api}/services/internal", """{"spec":{"type":"NodePort"}}""").ExpectAsync(403);
        Assert.Contains("exceeded quota: objects, requested: services.nodeports=1", (string?)turned["detail"]);

        var quota = await http.GetAsync($"{api}/resourcequotas/objects").ExpectAsync(200);
        Assert.Equal("""{"configmaps":"2","count/deployments.apps":"1","count/serviceaccounts":"0","secrets":"1","services":"2","services.nodeports":"1"}""",
            Sorted(quota["status"]!["used"]!));
    }

    [Fact]
    public async Task TerminatedPods_NoLongerCountAsPods_ButStillAsCountPods()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas", Http.Yaml(Quota("pods", "pods: \"1\"", "count/pods: \"2\""))).ExpectAsync(201);
        await http.PostAsync(pods, Http.Yaml(Http.Pod("done"))).ExpectAsync(201);
        await http.PostAsync(pods, Http.Yaml(Http.Pod("next"))).ExpectAsync(403);

        await http.PatchAsync($"{pods}/done/status", """{"status":{"phase":"Succeeded"}}""").ExpectAsync(200);
        await http.PostAsync(pods, Http.Yaml(Http.Pod("next"))).ExpectAsync(201);
        var third = await http.PostAsync(pods, Http.Yaml(Http.Pod("third"))).ExpectAsync(403);
        Assert.Equal("pods \"third\" is forbidden: exceeded quota: pods, requested: count/pods=1,pods=1, used: count/pods=2,pods=1, limited: count/pods=2,pods=1",
            (string?)third["detail"]);
    }

    [Fact]
    public async Task QuotaCreated_AfterObjects_StartsWithTheirUsage_AndASpecChangeRecountsIt()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/configmaps", Http.Yaml(ConfigMap("a"))).ExpectAsync(201);
        await http.PostAsync($"{api}/configmaps", Http.Yaml(ConfigMap("b"))).ExpectAsync(201);
        await http.PostAsync($"{api}/pods", Http.Yaml(Pod("p", "250m", "64Mi"))).ExpectAsync(201);

        var created = await http.PostAsync($"{api}/resourcequotas", Http.Yaml(Quota("q", "configmaps: \"5\"", "cpu: \"2\"", "resourcequotas: \"1\""))).ExpectAsync(201);
        Assert.Equal("""{"configmaps":"2","cpu":"250m","resourcequotas":"1"}""", Sorted(created["status"]!["used"]!));

        var changed = await http.PatchAsync($"{api}/resourcequotas/q", """{"spec":{"hard":{"limits.memory":"1Gi","count/pods":"10"}}}""").ExpectAsync(200);
        Assert.Equal("""{"configmaps":"5","count/pods":"10","cpu":"2","limits.memory":"1Gi","resourcequotas":"1"}""", Sorted(changed["status"]!["hard"]!));
        Assert.Equal("""{"configmaps":"2","count/pods":"1","cpu":"250m","limits.memory":"0","resourcequotas":"1"}""", Sorted(changed["status"]!["used"]!));

        // A second quota is itself counted by the first's resourcequotas.
        var refused = await http.PostAsync($"{api}/resourcequotas", Http.Yaml(Quota("other", "pods: \"1\""))).ExpectAsync(403);
        Assert.Equal("resourcequotas \"other\" is forbidden: exceeded quota: q, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1", (string?)refused["detail"]);
    }

    [Theory]
    [InlineData("widgets: \"1\"", "spec.hard.widgets", "unsupported resource")]
    [InlineData("count/widgets.example.com: \"1\"", "spec.hard.count/widgets.example.com", "unsupported resource")]
    [InlineData("count/nodes: \"1\"", "spec.hard.count/nodes", "unsupported resource")]
    [InlineData("pods: \"1.5\"", "spec.hard.pods", "must be an integer")]
    [InlineData("configmaps: 500m", "spec.hard.configmaps", "must be an integer")]
    [InlineData("requests.cpu: \"-1\"", "spec.hard.requests.cpu", "must be >= 0")]
    [InlineData("memory: lots", "spec.hard.memory", "is not a quantity")]
    public async Task QuotaWithAnUnenforceableHardEntry_Is422NamingIt(string hard, string field, string reason)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var problem = await http.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas", Http.Yaml(Quota("bad", hard))).ExpectAsync(422);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(field, (string?)error!["field"]);
        Assert.Contains(reason, (string?)error["reason"]);
    }

    internal static string Sorted(JsonNode list) =>
        new JsonObject(list.AsObject().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString();
}
