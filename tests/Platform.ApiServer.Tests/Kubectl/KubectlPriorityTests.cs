using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// PriorityClasses (scheduling.k8s.io/v1) and PodDisruptionBudgets (policy/v1) through kubectl: the system classes the
/// apiserver creates, kubectl's columns, Priority admission of pods and Kubernetes' refusals.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlPriorityTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static string Pod(string name, string extra) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}}
        spec:
          {{extra}}
          containers: [{name: web, image: busybox}]
        """;

    [Fact]
    public async Task PriorityClasses_HaveColumns_ResolveIntoPods_AndRefuseWhatKubernetesRefuses()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "prio-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        // A pod before any default class: priority 0.
        await kubectl.OkAsync(Pod("plain", "restartPolicy: Always"), "apply", "-f", "-");
        Assert.Equal("0 PreemptLowerPriority", await kubectl.OkAsync(null, "get", "pod", "plain", "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}"));

        Assert.Equal("priorityclass.scheduling.k8s.io/high created\n", await kubectl.OkAsync("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high}
            value: 1000
            description: important
            """, "apply", "-f", "-"));
        await kubectl.OkAsync("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: low}
            value: 10
            globalDefault: true
            preemptionPolicy: Never
            """, "apply", "-f", "-");
        var rows = (await kubectl.OkAsync(null, "get", "pc")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+PREEMPTIONPOLICY\s+AGE$", rows[0]);
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^high\s+1000\s+false\s+PreemptLowerPriority\s+\S+$"));
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^low\s+10\s+true\s+Never\s+\S+$"));
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^system-cluster-critical\s+2000000000\s+false\s+PreemptLowerPriority\s+\S+$"));
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^system-node-critical\s+2000001000\s+false\s+PreemptLowerPriority\s+\S+$"));

        // A second global default is refused, naming the first.
        var (code, _, stderr) = await kubectl.RunAsync("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: other}
            value: 5
            globalDefault: true
            """, "apply", "-f", "-");
        Assert.NotEqual(0, code);
        Assert.Contains("PriorityClass low is already marked as default. Only one default can exist", stderr);

        // Pods: the named class, the default class, an unknown class, a priority that contradicts the class.
        await kubectl.OkAsync(Pod("vip", "priorityClassName: high"), "apply", "-f", "-");
        Assert.Equal("1000 PreemptLowerPriority", await kubectl.OkAsync(null, "get", "pod", "vip", "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}"));
        await kubectl.OkAsync(Pod("common", "restartPolicy: Always"), "apply", "-f", "-");
        Assert.Equal("low 10 Never", await kubectl.OkAsync(null, "get", "pod", "common", "-o", "jsonpath={.spec.priorityClassName} {.spec.priority} {.spec.preemptionPolicy}"));
        (code, _, stderr) = await kubectl.RunAsync(Pod("lost", "priorityClassName: nowhere"), "apply", "-f", "-");
        Assert.NotEqual(0, code);
        Assert.Contains("pods \"lost\" is forbidden: no PriorityClass with name nowhere was found", stderr);
        (code, _, stderr) = await kubectl.RunAsync(Pod("liar", "priorityClassName: high\n  priority: 5"), "apply", "-f", "-");
        Assert.NotEqual(0, code);
        Assert.Contains("the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000", stderr);
        await kubectl.OkAsync(Pod("critical", "priorityClassName: system-node-critical"), "apply", "-f", "-");
        Assert.Equal("2000001000", await kubectl.OkAsync(null, "get", "pod", "critical", "-o", "jsonpath={.spec.priority}"));
    }

    [Fact]
    public async Task InvalidPriorityClassesAndBudgets_Are422_NamingTheField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await RefusedAsync(http, "/apis/scheduling.k8s.io/v1/priorityclasses", """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: huge}
            value: 1000000001
            preemptionPolicy: Sometimes
            """);
        Assert.Contains("maximum allowed value of a user defined priority is 1000000000", errors["value"]);
        Assert.Equal("Unsupported value: \"Sometimes\": supported values: \"Never\", \"PreemptLowerPriority\"", errors["preemptionPolicy"]);
        errors = await RefusedAsync(http, "/apis/scheduling.k8s.io/v1/priorityclasses", """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: system-mine}
            value: 7
            """);
        Assert.Contains("priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class", errors["metadata.name"]);

        // The value may not change.
        await http.PostAsync("/apis/scheduling.k8s.io/v1/priorityclasses", Http.Yaml("""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: mid}
            value: 50
            """)).ExpectAsync(201);
        using (var r = await http.PatchAsync("/apis/scheduling.k8s.io/v1/priorityclasses/mid",
            new StringContent("{\"value\":51}", System.Text.Encoding.UTF8, "application/merge-patch+json")))
            Assert.Equal(422, (int)r.StatusCode);

        errors = await RefusedAsync(http, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: both}
            spec:
              minAvailable: 150%
              maxUnavailable: -1
              selector: {matchLabels: {app: web}}
            """);
        Assert.Equal("minAvailable and maxUnavailable cannot be both set", errors["spec"]);
        Assert.Contains("must not be greater than 100%", errors["spec.minAvailable"]);
        Assert.Contains("must be greater than or equal to 0", errors["spec.maxUnavailable"]);
    }

    private static async Task<Dictionary<string, string>> RefusedAsync(HttpClient http, string url, string yaml)
    {
        using var r = await http.PostAsync(url, Http.Yaml(yaml));
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 422, $"expected 422, got {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text)!["errors"]!.AsArray().GroupBy(e => (string)e!["field"]!)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => (string)e!["reason"]!)));
    }
}
