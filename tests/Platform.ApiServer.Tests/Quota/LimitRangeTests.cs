using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Quota;

/// <summary>LimitRange: defaults filled into new pods, bounds refused with Kubernetes' messages, invalid ranges a 422, and quota charging what was filled in.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class LimitRangeTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Limits = """
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: limits
        spec:
          limits:
            - type: Container
              default: {cpu: 500m, memory: 256Mi}
              defaultRequest: {cpu: 100m, memory: 128Mi}
              max: {cpu: "1", memory: 1Gi}
              min: {cpu: 50m}
              maxLimitRequestRatio: {cpu: "5"}
            - type: Pod
              max: {memory: 1536Mi}
        """;

    private static string Pod(string name, string resources = "", string more = "") =>
        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: main\n      image: nginx:1.25\n{resources}{more}";

    private static string Resources(string requests, string limits) =>
        "      resources:\n" + (requests.Length > 0 ? $"        requests: {{{requests}}}\n" : "") + (limits.Length > 0 ? $"        limits: {{{limits}}}\n" : "");

    [Fact]
    public async Task PodWithoutResources_GetsTheDefaults_AndAnAnnotationSayingSo()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        var range = await http.PostAsync($"{api}/limitranges", Http.Yaml(Limits)).ExpectAsync(201);
        // Kubernetes' defaulting of the range itself: nothing to add here, all given.
        Assert.Equal("""{"cpu":"500m","memory":"256Mi"}""", range["spec"]!["limits"]![0]!["default"]!.ToJsonString());

        var pod = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("web"))).ExpectAsync(201);
        var resources = pod["spec"]!["containers"]![0]!["resources"]!;
        Assert.Equal("""{"cpu":"500m","memory":"256Mi"}""", resources["limits"]!.ToJsonString());
        Assert.Equal("""{"cpu":"100m","memory":"128Mi"}""", resources["requests"]!.ToJsonString());
        Assert.Equal("LimitRanger plugin set: cpu, memory request for container main; cpu, memory limit for container main",
            (string?)pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]);

        // A limit given without a request requests the limit (Kubernetes' pod defaulting), before the range's defaultRequest.
        var limited = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("limited", Resources("", "cpu: 200m")))).ExpectAsync(201);
        Assert.Equal("""{"cpu":"200m","memory":"128Mi"}""", limited["spec"]!["containers"]![0]!["resources"]!["requests"]!.ToJsonString());
        Assert.Equal("LimitRanger plugin set: memory request for container main; memory limit for container main",
            (string?)limited["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]);
    }

    [Fact]
    public async Task RequestsFromLimits_WithoutAnyLimitRange_AsKubernetesDefaultsPods()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var pod = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Pod("p", Resources("memory: 64Mi", "cpu: 300m, memory: 128Mi")))).ExpectAsync(201);
        Assert.Equal("""{"memory":"64Mi","cpu":"300m"}""", pod["spec"]!["containers"]![0]!["resources"]!["requests"]!.ToJsonString());
        Assert.Null(pod["metadata"]!["annotations"]);
    }

    [Theory]
    [InlineData("cpu: 500m", "cpu: \"2\"", "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2")]
    [InlineData("cpu: 10m", "cpu: 20m", "pods \"p\" is forbidden: minimum cpu usage per Container is 50m, but request is 10m")]
    [InlineData("cpu: 100m", "cpu: 800m", "pods \"p\" is forbidden: cpu max limit to request ratio per Container is 5, but provided ratio is 8.000000")]
    [InlineData("cpu: 2, memory: 2Gi", "cpu: 2, memory: 2Gi",
        "pods \"p\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi, " +
        "maximum memory usage per Pod is 1536Mi, but limit is 2Gi]")]
    public async Task PodOutsideTheContainerBounds_Is403WithKubernetesMessage(string requests, string limits, string message)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync($"/api/v1/namespaces/{ns}/limitranges", Http.Yaml(Limits)).ExpectAsync(201);
        var refused = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Pod("p", Resources(requests, limits)))).ExpectAsync(403);
        Assert.Equal(message, (string?)refused["detail"]);
        Assert.Equal("Forbidden", (string?)refused["reason"]);
    }

    [Fact]
    public async Task PodBounds_SumTheContainers_AndADefaultBelowARequestIs422()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/limitranges", Http.Yaml(Limits)).ExpectAsync(201);
        var twoContainers = Pod("pair", Resources("", "memory: 1Gi")) + "    - name: side\n      image: nginx:1.25\n" + Resources("", "memory: 768Mi");
        var refused = await http.PostAsync($"{api}/pods", Http.Yaml(twoContainers)).ExpectAsync(403);
        Assert.Equal("pods \"pair\" is forbidden: maximum memory usage per Pod is 1536Mi, but limit is 1792Mi", (string?)refused["detail"]);

        // The range's default limit (500m) under the request the pod asked for (800m): invalid as a pod would be.
        var invalid = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("greedy", Resources("cpu: 800m", "")))).ExpectAsync(422);
        Assert.Contains("spec.containers[0].resources.requests.cpu", (string?)invalid["detail"]);
    }

    [Fact]
    public async Task EnormousQuantities_AreRefusedWithTheirValues_NeverA500()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/resourcequotas", Http.Yaml("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard:\n    requests.cpu: \"1\"\n")).ExpectAsync(201);
        var quota = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("huge", Resources("cpu: 70000E", "")))).ExpectAsync(403);
        Assert.Equal("pods \"huge\" is forbidden: exceeded quota: q, requested: requests.cpu=70000E, used: requests.cpu=0, limited: requests.cpu=1", (string?)quota["detail"]);

        await http.PostAsync($"{api}/limitranges", Http.Yaml(Limits)).ExpectAsync(201);
        var ratio = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("ratio", Resources("cpu: 1n", "cpu: 70000E")))).ExpectAsync(403);
        Assert.StartsWith("pods \"ratio\" is forbidden: [minimum cpu usage per Container is 50m, but request is 1n, maximum cpu usage per Container is 1, but limit is 70000E, " +
            "cpu max limit to request ratio per Container is 5, but provided ratio is 70000000000000", (string?)ratio["detail"]);
    }

    [Theory]
    [InlineData("- type: Pod\n      min: {cpu: \"2\"}\n      max: {cpu: \"1\"}", "spec.limits[0].min.cpu", "min value 2 is greater than max value 1")]
    [InlineData("- type: Container\n      default: {memory: 2Gi}\n      max: {memory: 1Gi}", "spec.limits[0].default.memory", "default value 2Gi is greater than max value 1Gi")]
    [InlineData("- type: Container\n      default: {cpu: 100m}\n      defaultRequest: {cpu: 200m}", "spec.limits[0].defaultRequest.cpu", "default request value 200m is greater than default limit value 100m")]
    [InlineData("- type: Container\n      maxLimitRequestRatio: {cpu: 500m}", "spec.limits[0].maxLimitRequestRatio.cpu", "ratio 500m is less than 1")]
    [InlineData("- type: Pod\n      default: {cpu: 100m}", "spec.limits[0].default", "may not be specified when `type` is 'Pod'")]
    [InlineData("- type: Node\n      max: {cpu: \"1\"}", "spec.limits[0].type", "Unsupported value: \"Node\"")]
    [InlineData("- type: Container\n    - type: Container", "spec.limits[1].type", "Duplicate value: \"Container\"")]
    [InlineData("- type: Container\n      max: {gpus: \"1\"}", "spec.limits[0].max.gpus", "must be a standard resource type")]
    public async Task InvalidLimitRange_Is422NamingTheField(string items, string field, string reason)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var body = $"apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: bad\nspec:\n  limits:\n    {items}\n";
        var problem = await http.PostAsync($"/api/v1/namespaces/{ns}/limitranges", Http.Yaml(body)).ExpectAsync(422);
        // Validation sees the range defaulted (default from max, defaultRequest from default), so one mistake may show twice.
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["reason"])!.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuotaRequiringLimits_AdmitsAPodTheLimitRangeDefaulted_AndChargesTheDefaults()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/resourcequotas", Http.Yaml("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: compute
            spec:
              hard:
                limits.cpu: "1"
                limits.memory: 1Gi
                requests.cpu: 500m
            """)).ExpectAsync(201);
        var refused = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("bare"))).ExpectAsync(403);
        Assert.Equal("pods \"bare\" is forbidden: failed quota: compute: must specify limits.cpu for: main; limits.memory for: main; requests.cpu for: main",
            (string?)refused["detail"]);

        await http.PostAsync($"{api}/limitranges", Http.Yaml(Limits)).ExpectAsync(201);
        await http.PostAsync($"{api}/pods", Http.Yaml(Pod("bare"))).ExpectAsync(201);
        await http.PostAsync($"{api}/pods", Http.Yaml(Pod("second"))).ExpectAsync(201);
        var third = await http.PostAsync($"{api}/pods", Http.Yaml(Pod("third"))).ExpectAsync(403);
        Assert.Equal("pods \"third\" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=1, limited: limits.cpu=1", (string?)third["detail"]);
        var quota = await http.GetAsync($"{api}/resourcequotas/compute").ExpectAsync(200);
        Assert.Equal("""{"limits.cpu":"1","limits.memory":"512Mi","requests.cpu":"200m"}""", QuotaTests.Sorted(quota["status"]!["used"]!));
    }
}
