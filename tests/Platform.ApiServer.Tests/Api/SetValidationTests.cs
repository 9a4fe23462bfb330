using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

/// <summary>DaemonSets, StatefulSets, ControllerRevisions and pods' topology spread constraints and host aliases refused with 422s naming each bad field, as Kubernetes refuses them.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class SetValidationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static async Task<Dictionary<string, string>> RefusedAsync(HttpClient http, string url, HttpContent body, HttpMethod? method = null)
    {
        using var r = await http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Post, url) { Content = body });
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 422, $"expected 422, got {(int)r.StatusCode}: {text}");
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        return problem["errors"]!.AsArray().GroupBy(e => (string)e!["field"]!).ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => (string)e!["reason"]!)));
    }

    [Fact]
    public async Task InvalidTopologySpreadConstraints_Are422_NamingEachField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await RefusedAsync(http, $"/api/v1/namespaces/{ns}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: spread}
            spec:
              containers: [{name: web, image: busybox}]
              topologySpreadConstraints:
              - {maxSkew: 0, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honour}
              - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Always}
              - {maxSkew: 1, whenUnsatisfiable: Sometimes}
            """));
        Assert.Equal("Invalid value: 0: must be greater than zero", errors["spec.topologySpreadConstraints[0].maxSkew"]);
        Assert.Equal("Unsupported value: \"Honour\": supported values: \"Honor\", \"Ignore\"", errors["spec.topologySpreadConstraints[0].nodeTaintsPolicy"]);
        Assert.Equal("Unsupported value: \"Always\": supported values: \"Honor\", \"Ignore\"", errors["spec.topologySpreadConstraints[1].nodeAffinityPolicy"]);
        Assert.StartsWith("Duplicate value", errors["spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}"]);
        Assert.Equal("required", errors["spec.topologySpreadConstraints[2].topologyKey"]);
        Assert.Contains("supported values: \"DoNotSchedule\", \"ScheduleAnyway\"", errors["spec.topologySpreadConstraints[2].whenUnsatisfiable"]);
    }

    [Fact]
    public async Task InvalidEnvFromAndFieldRef_Are422_NamingEachField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await RefusedAsync(http, $"/api/v1/namespaces/{ns}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: env}
            spec:
              containers:
              - name: web
                image: busybox
                envFrom:
                - {configMapRef: {name: a}, secretRef: {name: b}}
                - {prefix: "1bad", secretRef: {name: c}}
                env:
                - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}
                - {name: BOTH, valueFrom: {fieldRef: {fieldPath: metadata.name}, configMapKeyRef: {name: a, key: k}}}
            """));
        Assert.Equal("may not have more than one field specified at a time", errors["spec.containers[0].envFrom[0]"]);
        Assert.Contains("a valid environment variable name", errors["spec.containers[0].envFrom[1].prefix"]);
        Assert.StartsWith("Unsupported value: \"spec.hostname\"", errors["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"]);
        Assert.Equal("must set exactly one of configMapKeyRef, secretKeyRef, fieldRef", errors["spec.containers[0].env[1].valueFrom"]);
    }

    [Fact]
    public async Task InvalidHostAliases_Are422_NamingTheIpAndHostname()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await RefusedAsync(http, $"/api/v1/namespaces/{ns}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: aliases}
            spec:
              hostAliases:
              - {ip: 10.1.2, hostnames: [ok.local]}
              - {hostnames: [Not_A_Name]}
              containers: [{name: web, image: busybox}]
            """));
        Assert.Contains("must be a valid IP address", errors["spec.hostAliases[0].ip"]);
        Assert.True(errors.ContainsKey("spec.hostAliases[1].ip"), string.Join(", ", errors.Keys));
        Assert.Contains("RFC 1123 subdomain", errors["spec.hostAliases[1].hostnames[0]"]);
        Assert.False(errors.ContainsKey("spec.hostAliases[0].hostnames[0]"));
    }

    [Fact]
    public async Task InvalidDaemonSet_Is422_NamingStrategyBoundsSelectorAndRestartPolicy()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await RefusedAsync(http, $"/apis/apps/v1/namespaces/{ns}/daemonsets", Http.Yaml("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}
              revisionHistoryLimit: -1
              template:
                metadata: {labels: {app: other}}
                spec:
                  restartPolicy: Never
                  containers: [{name: web, image: busybox}]
            """));
        Assert.Contains("may not be 0 when `maxSurge` is 0", errors["spec.updateStrategy.rollingUpdate.maxUnavailable"]);
        Assert.Contains("`selector` does not match template `labels`", errors["spec.template.metadata.labels"]);
        Assert.Contains("must be Always", errors["spec.template.spec.restartPolicy"]);
        Assert.Contains("must be >= 0", errors["spec.revisionHistoryLimit"]);

        errors = await RefusedAsync(http, $"/apis/apps/v1/namespaces/{ns}/daemonsets", Http.Yaml("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              updateStrategy: {type: Sideways, rollingUpdate: {maxUnavailable: "lots"}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: web, image: busybox}]}
            """));
        Assert.Equal("Unsupported value: \"Sideways\": supported values: \"OnDelete\", \"RollingUpdate\"", errors["spec.updateStrategy.type"]);
        Assert.Contains("must be an integer or a percentage", errors["spec.updateStrategy.rollingUpdate.maxUnavailable"]);

        // The selector may not change.
        await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/daemonsets", Http.Yaml("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent, tier: x}}
                spec: {containers: [{name: web, image: busybox}]}
            """)).ExpectAsync(201);
        errors = await RefusedAsync(http, $"/apis/apps/v1/namespaces/{ns}/daemonsets/agent", Http.MergePatch("""{"spec":{"selector":{"matchLabels":{"tier":"x"}}}}"""), HttpMethod.Patch);
        Assert.Equal("field is immutable", errors["spec.selector"]);
    }

    [Fact]
    public async Task InvalidStatefulSet_Is422_NamingPolicyPartitionClaimsAndFieldsThatMayNotChange()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/apis/apps/v1/namespaces/{ns}/statefulsets";
        var errors = await RefusedAsync(http, url, Http.Yaml("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web}
            spec:
              serviceName: Web_Service
              replicas: -2
              podManagementPolicy: Whenever
              selector: {matchLabels: {app: web}}
              updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1, maxUnavailable: 0}}
              persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]}
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec: {accessModes: [ReadSometimes]}
            """));
        Assert.Contains("DNS-1123 label", errors["spec.serviceName"]);
        Assert.Equal("must be >= 0", errors["spec.replicas"]);
        Assert.Equal("Unsupported value: \"Whenever\": supported values: \"OrderedReady\", \"Parallel\"", errors["spec.podManagementPolicy"]);
        Assert.Equal("must be greater than or equal to 0", errors["spec.updateStrategy.rollingUpdate.partition"]);
        Assert.Equal("must be greater than 0", errors["spec.updateStrategy.rollingUpdate.maxUnavailable"]);
        Assert.Contains("supported values: \"Retain\", \"Delete\"", errors["spec.persistentVolumeClaimRetentionPolicy.whenDeleted"]);
        Assert.Contains("Unsupported value: \"ReadSometimes\"", errors["spec.volumeClaimTemplates[0].spec.accessModes"]);
        Assert.Equal("required", errors["spec.volumeClaimTemplates[0].spec.resources[storage]"]);
        Assert.DoesNotContain("spec.template.spec.containers[0].volumeMounts[0].name", errors.Keys); // a claim template is a volume

        await http.PostAsync(url, Http.Yaml("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web}
            spec:
              serviceName: web
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: busybox}]}
            """)).ExpectAsync(201);
        errors = await RefusedAsync(http, $"{url}/web", Http.MergePatch("""{"spec":{"serviceName":"other"}}"""), HttpMethod.Patch);
        Assert.Contains("updates to statefulset spec for fields other than 'replicas'", errors["spec"]);
        // What may change does.
        await http.PatchAsync($"{url}/web", """{"spec":{"replicas":4,"updateStrategy":{"rollingUpdate":{"partition":2}},"minReadySeconds":3}}""").ExpectAsync(200);
    }

    [Fact]
    public async Task ControllerRevision_NeedsData_AndItsDataNeverChanges()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/apis/apps/v1/namespaces/{ns}/controllerrevisions";
        var errors = await RefusedAsync(http, url, Http.Json("""{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"r"},"revision":-1}"""));
        Assert.Equal("required", errors["data"]);
        Assert.Equal("must be greater than or equal to 0", errors["revision"]);
        await http.PostAsync(url, Http.Json("""{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"r"},"data":{"spec":{}},"revision":1}""")).ExpectAsync(201);
        errors = await RefusedAsync(http, $"{url}/r", Http.MergePatch("""{"data":{"spec":{"x":1}}}"""), HttpMethod.Patch);
        Assert.Equal("field is immutable", errors["data"]);
        await http.PatchAsync($"{url}/r", """{"revision":5}""").ExpectAsync(200);
    }
}
