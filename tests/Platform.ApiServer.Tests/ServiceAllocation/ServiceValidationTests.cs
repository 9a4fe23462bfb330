using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.ServiceAllocation;

/// <summary>Service specs Kubernetes refuses, refused here with its field paths and wording.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class ServiceValidationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static readonly (string Spec, string Error)[] Refused =
    [
        ("type: Balanced\n  ports: [{port: 80}]", "spec.type: Unsupported value: \"Balanced\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        ("ports: [{port: 80}, {port: 81}]", "spec.ports[0].name: Required value"),
        ("ports: [{name: a, port: 80}, {name: a, port: 81}]", "spec.ports[1].name: Duplicate value: \"a\""),
        ("ports: [{port: 80, protocol: ICMP}]", "spec.ports[0].protocol: Unsupported value: \"ICMP\""),
        ("type: ExternalName", "spec.externalName: Required value"),
        ("type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.0.50", "spec.clusterIPs: Forbidden: may not be set for ExternalName services"),
        ("type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"),
        ("clusterIP: 10.96.0.999\n  ports: [{port: 80}]", "spec.clusterIPs[0]: Invalid value: \"10.96.0.999\": must be a valid IP address"),
        ("sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}\n  ports: [{port: 80}]",
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400"),
        ("sessionAffinity: Sticky\n  ports: [{port: 80}]", "spec.sessionAffinity: Unsupported value: \"Sticky\""),
        ("externalTrafficPolicy: Local\n  ports: [{port: 80}]", "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set when `type` is 'NodePort' or 'LoadBalancer'"),
        ("loadBalancerIP: 192.0.2.1\n  ports: [{port: 80}]", "spec.loadBalancerIP: Forbidden: may only be used when `type` is 'LoadBalancer'"),
        ("ipFamilyPolicy: RequireDualStack\n  ports: [{port: 80}]", "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"),
        ("ports: [{port: 80, targetPort: not_a_name}]", "spec.ports[0].targetPort: Invalid value: \"not_a_name\""),
    ];

    [Fact]
    public async Task InvalidSpecs_Get422WithKubernetesFieldErrors_ValidOnesAreDefaultedAsKubernetesDefaultsThem()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var url = $"/api/v1/namespaces/{await http.CreateNamespaceAsync()}/services";
        foreach (var (spec, error) in Refused)
        {
            var problem = await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  {spec}\n")).ExpectAsync(422);
            Assert.True(((string?)problem["detail"])?.Contains(error, StringComparison.Ordinal) == true, $"{spec}: expected {error}, got {problem["detail"]}");
        }

        var sticky = await http.PostAsync(url, Http.Yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: sticky\nspec:\n  type: NodePort\n  sessionAffinity: ClientIP\n  ports: [{port: 80}]\n")).ExpectAsync(201);
        var spec201 = sticky["spec"]!;
        Assert.Equal(10800, (int)spec201["sessionAffinityConfig"]!["clientIP"]!["timeoutSeconds"]!);
        Assert.Equal("Cluster", (string?)spec201["externalTrafficPolicy"]);
        Assert.Equal("Cluster", (string?)spec201["internalTrafficPolicy"]);
        Assert.Equal("SingleStack", (string?)spec201["ipFamilyPolicy"]);
        Assert.Equal("IPv4", (string?)spec201["ipFamilies"]![0]);
        Assert.Equal(80, (int)spec201["ports"]![0]!["targetPort"]!);

        // Changing the type to ClusterIP drops what only NodePort used (node ports, externalTrafficPolicy).
        var patched = await http.PatchAsync($"{url}/sticky", """{"spec":{"type":"ClusterIP"}}""").ExpectAsync(200);
        Assert.Null(patched["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Null(patched["spec"]!["externalTrafficPolicy"]);
        Assert.Equal((string?)spec201["clusterIP"], (string?)patched["spec"]!["clusterIP"]);
        // To ExternalName: the cluster IP goes too.
        var external = await http.PatchAsync($"{url}/sticky", """{"spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None","sessionAffinityConfig":null}}""").ExpectAsync(200);
        Assert.Null(external["spec"]!["clusterIP"]);
    }
}
