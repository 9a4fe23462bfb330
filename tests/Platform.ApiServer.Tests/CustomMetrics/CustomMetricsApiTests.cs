using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ApiServer.Tests.CustomMetrics;

/// <summary>
/// custom.metrics.k8s.io/v1beta2 over real scrapes: a Prometheus endpoint on loopback whose counters grow at known
/// rates stands for the gateway (series labelled <c>route="ns/name"</c>) and for a pod's own endpoint (annotated
/// <c>prometheus.io/scrape</c>); the API answers rates and gauges per object as prometheus-adapter would.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class CustomMetricsApiTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Prefix = "/apis/custom.metrics.k8s.io/v1beta2";
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task RouteRequestRate_FromTheTargetsCounters_IsServedPerRoute_FilteredBySeries_WithGaugesForServices()
    {
        string ns = "";
        await using var target = await PrometheusEndpoint.StartAsync(_ => $$"""
            # TYPE gateway_route_requests_total counter
            gateway_route_requests_total{route="{{ns}}/hello",method="GET",status="200"} {{Rate(10)}}
            gateway_route_requests_total{route="{{ns}}/hello",method="GET",status="500"} {{Rate(2)}}
            gateway_route_requests_total{route="{{ns}}/quiet",method="GET",status="200"} 5
            gateway_route_request_duration_seconds_bucket{route="{{ns}}/hello",le="0.5"} 3
            queue_depth{namespace="{{ns}}",service="backend"} 7
            """);
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:CustomMetrics:Targets:0"] = new Uri(target.Address, "/metrics").ToString();
            s["ApiServer:CustomMetrics:ScrapeInterval"] = "00:00:00.2";
            s["ApiServer:CustomMetrics:RateWindow"] = "00:00:03";
        });
        using var admin = host.AdminClient();
        ns = await admin.CreateNamespaceAsync();
        foreach (var name in new[] { "hello", "quiet" })
            await admin.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{ns}/routes", Http.Yaml($"apiVersion: gateway.platform.io/v1\nkind: Route\nmetadata:\n  name: {name}\nspec:\n  uri: lb://{name}\n  predicates: [Path=/{name}/**]\n")).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/services", Http.Yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\nspec:\n  ports: [{port: 80}]\n")).ExpectAsync(201);

        // The first rate, from two scrapes 0.2 s apart, still names a window of at least a second (never 0).
        var route = $"{Prefix}/namespaces/{ns}/routes.gateway.platform.io/hello/gateway_route_requests_per_second";
        var first = await Eventually.WaitAsync(async () => (await ValueAsync(admin, route))?.Item,
            TimeSpan.FromSeconds(20), "a first rate for the route", TimeSpan.FromMilliseconds(50));
        Assert.InRange((long)first["windowSeconds"]!, 1, 4);

        // 12 requests/s over both statuses once the window holds a few scrapes; 10/s of them answered 200.
        var one = await Eventually.WaitAsync(async () => await ValueAsync(admin, route) is var (v, item) && v is > 11 and < 13 ? item : null,
            TimeSpan.FromSeconds(20), "the route's request rate to settle near 12/s", TimeSpan.FromMilliseconds(200));
        Assert.Equal("Route", (string?)one["describedObject"]!["kind"]);
        Assert.Equal("gateway.platform.io/v1", (string?)one["describedObject"]!["apiVersion"]);
        Assert.Equal("gateway_route_requests_per_second", (string?)one["metric"]!["name"]);
        Assert.InRange((long)one["windowSeconds"]!, 1, 4);
        // The 200s alone: 10/s (scrape timestamps jitter on a loaded machine, so read until it settles).
        await Eventually.WaitAsync(async () => await ValueAsync(admin, route + "?metricLabelSelector=" + Uri.EscapeDataString("status=200")) is var (v, _) && v is > 9 and < 11 ? "" : null,
            TimeSpan.FromSeconds(20), "the 200s' rate near 10/s", TimeSpan.FromMilliseconds(200));

        var all = await admin.GetAsync($"{Prefix}/namespaces/{ns}/routes.gateway.platform.io/*/gateway_route_requests_per_second").ExpectAsync(200);
        Assert.Equal("MetricValueList", (string?)all["kind"]);
        Assert.Equal(["hello", "quiet"], all["items"]!.AsArray().Select(i => (string)i!["describedObject"]!["name"]!));
        Assert.Equal("0", (string?)all["items"]![1]!["value"]);

        var gauge = await ValueAsync(admin, $"{Prefix}/namespaces/{ns}/services/backend/queue_depth");
        Assert.Equal(7, gauge!.Value.Value);
        Assert.Null(gauge.Value.Item["windowSeconds"]);

        var resources = (await admin.GetAsync(Prefix).ExpectAsync(200))["resources"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Contains("routes.gateway.platform.io/gateway_route_requests_per_second", resources);
        Assert.Contains("services/queue_depth", resources);
        Assert.DoesNotContain(resources, r => r.Contains("_bucket", StringComparison.Ordinal));

        // Kubernetes' and prometheus-adapter's refusals.
        var missing = await admin.GetAsync($"{Prefix}/namespaces/{ns}/routes.gateway.platform.io/hello/no_such_metric").ExpectAsync(404);
        Assert.Equal("the server could not find the metric no_such_metric for routes.gateway.platform.io hello", (string?)missing["detail"]);
        await admin.GetAsync($"{Prefix}/namespaces/{ns}/routes.gateway.platform.io/absent/gateway_route_requests_per_second").ExpectAsync(404);
        var bad = await admin.GetAsync($"{Prefix}/namespaces/{ns}/routes.gateway.platform.io/*/gateway_route_requests_per_second?labelSelector=a%20in").ExpectAsync(400);
        Assert.StartsWith("labelSelector:", (string?)bad["detail"]);
        var other = await admin.CreateNamespaceAsync();
        var stranger = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new JsonObject { ["name"] = ClusterApi.NewName("viewer"), ["role"] = "viewer", ["namespace"] = other });
        using var outsider = host.Client((string)stranger["token"]!);
        await outsider.GetAsync(route).ExpectAsync(403);
        var viewer = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
            new JsonObject { ["name"] = ClusterApi.NewName("viewer"), ["role"] = "viewer", ["namespace"] = ns });
        using var insider = host.Client((string)viewer["token"]!);
        await insider.GetAsync(route).ExpectAsync(200);
    }

    [Fact]
    public async Task PodMetrics_AreScrapedFromEachAnnotatedPod_AtItsAddressPortAndPath_SelectedByLabels()
    {
        await using var pods = await PrometheusEndpoint.StartAsync(path => path == "/custom" ? $"jobs_done_total {Rate(4)}\nqueue_length 3\n" : "");
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:CustomMetrics:ScrapeInterval"] = "00:00:00.2";
            s["ApiServer:CustomMetrics:RateWindow"] = "00:00:03";
        });
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await RunningPodAsync(admin, ns, "worker", "app: worker", $"prometheus.io/scrape: \"true\"\n    prometheus.io/port: \"{pods.Port}\"\n    prometheus.io/path: /custom");
        await RunningPodAsync(admin, ns, "unannotated", "app: worker", "note: none");
        await RunningPodAsync(admin, ns, "elsewhere", "app: other", $"prometheus.io/scrape: \"true\"\n    prometheus.io/port: \"{pods.Port}\"\n    prometheus.io/path: /custom");

        var gauge = await admin.GetAsync($"{Prefix}/namespaces/{ns}/pods/*/queue_length?labelSelector=app%3Dworker").ExpectAsync(200);
        var item = Assert.Single(gauge["items"]!.AsArray());
        Assert.Equal("worker", (string?)item!["describedObject"]!["name"]);
        Assert.Equal("Pod", (string?)item["describedObject"]!["kind"]);
        Assert.Equal("3", (string?)item["value"]);

        var rate = $"{Prefix}/namespaces/{ns}/pods/worker/jobs_done_per_second";
        await Eventually.WaitAsync(async () => await ValueAsync(admin, rate) is var (v, _) && v is > 3.5 and < 4.5 ? "" : null,
            TimeSpan.FromSeconds(20), "the pod's job rate to settle near 4/s", TimeSpan.FromMilliseconds(200));
        Assert.Contains("pods/jobs_done_per_second", (await admin.GetAsync(Prefix).ExpectAsync(200))["resources"]!.AsArray().Select(r => (string)r!["name"]!));
    }

    private string Rate(double perSecond) => (perSecond * _clock.Elapsed.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);

    private static async Task<(double Value, JsonObject Item)?> ValueAsync(HttpClient client, string path)
    {
        using var r = await client.GetAsync(path);
        if (!r.IsSuccessStatusCode) return null;
        var list = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        if (list["items"]!.AsArray() is not [JsonObject item]) return null;
        var text = (string)item["value"]!;
        var value = text.EndsWith('m') ? double.Parse(text[..^1], CultureInfo.InvariantCulture) / 1000 : double.Parse(text, CultureInfo.InvariantCulture);
        return (value, item);
    }

    /// <summary>A pod as a node agent would report it: Running at 127.0.0.1 (no agent runs here; the status is written directly).</summary>
    private static async Task RunningPodAsync(HttpClient admin, string ns, string name, string labels, string annotations)
    {
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml($$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
              labels:
                {{labels}}
              annotations:
                {{annotations}}
            spec:
              containers: [{name: app, image: busybox, ports: [{containerPort: 8080}]}]
            """)).ExpectAsync(201);
        var pod = await admin.GetAsync($"/api/v1/namespaces/{ns}/pods/{name}").ExpectAsync(200);
        pod["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1", ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }) };
        await admin.PutAsync($"/api/v1/namespaces/{ns}/pods/{name}/status", Http.Json(pod)).ExpectAsync(200);
    }
}
