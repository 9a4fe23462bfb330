using Platform.ApiServer.Tests.Infrastructure;
using Platform.ApiServer.Tests.Kubectl;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Resources;

/// <summary>discovery.k8s.io/v1 EndpointSlices and core/v1 Endpoints as kubectl serves and prints them.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class EndpointSliceTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Slice = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-abc12
          labels: {kubernetes.io/service-name: web}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints:
        - addresses: [10.244.0.5]
          conditions: {ready: true}
          nodeName: node-1
        - addresses: [10.244.0.6]
          conditions: {ready: false}
        - addresses: [10.244.0.7]
        - addresses: [10.244.0.8]
        """;

    private const string Endpoints = """
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: web
        subsets:
        - addresses: [{ip: 10.244.0.5}, {ip: 10.244.0.6}]
          ports: [{name: http, port: 8080}]
        """;

    [Fact]
    public async Task EndpointSlicesAndEndpoints_AreServedValidatedAndPrintedAsKubectlPrintsThem()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "eps-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        var resources = await kubectl.OkAsync(null, "api-resources");
        Assert.Matches(@"(?m)^endpointslices\s+discovery\.k8s\.io/v1\s+true\s+EndpointSlice\s*$", resources);
        Assert.Matches(@"(?m)^endpoints\s+ep\s+v1\s+true\s+Endpoints\s*$", resources);

        Assert.Equal("endpointslice.discovery.k8s.io/web-abc12 created\n", await kubectl.OkAsync(Slice, "apply", "-f", "-"));
        var slices = (await kubectl.OkAsync(null, "get", "endpointslices")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$", slices[0]);
        Assert.Matches(@"^web-abc12\s+IPv4\s+8080\s+10\.244\.0\.5,10\.244\.0\.6,10\.244\.0\.7 \+ 1 more\.\.\.\s+\d+s$", slices[1]);
        Assert.Equal("web-abc12", await kubectl.OkAsync(null, "get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "jsonpath={.items[0].metadata.name}"));

        Assert.Equal("endpoints/web created\n", await kubectl.OkAsync(Endpoints, "apply", "-f", "-"));
        var eps = (await kubectl.OkAsync(null, "get", "ep")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+ENDPOINTS\s+AGE$", eps[0]);
        Assert.Matches(@"^web\s+10\.244\.0\.5:8080,10\.244\.0\.6:8080\s+\d+s$", eps[1]);

        // Kubernetes' validation: the address must be of the slice's type, the type may not change.
        var bad = await kubectl.RunAsync(Slice.Replace("web-abc12", "bad").Replace("[10.244.0.8]", "[not-an-ip]"), "apply", "-f", "-");
        Assert.Contains("The EndpointSlice \"bad\" is invalid: endpoints[3].addresses[0]: Invalid value: \"not-an-ip\": must be a valid IPv4 address", bad.Stderr);
        var retype = await kubectl.RunAsync(null, "patch", "endpointslice", "web-abc12", "--type", "merge", "-p", """{"addressType":"FQDN"}""");
        Assert.Contains("addressType: Invalid value: \"FQDN\": field is immutable", retype.Stderr);
        var empty = await kubectl.RunAsync(Endpoints.Replace("name: web", "name: empty").Replace("addresses: [{ip: 10.244.0.5}, {ip: 10.244.0.6}]", "addresses: []"), "apply", "-f", "-");
        Assert.Contains("The Endpoints \"empty\" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`", empty.Stderr);

        // The view role reads both, as Kubernetes' aggregated view role does.
        await kubectl.OkAsync(null, "create", "serviceaccount", "viewer");
        await kubectl.OkAsync(null, "create", "rolebinding", "viewer", "--clusterrole=view", $"--serviceaccount={ns}:viewer");
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "list", "endpointslices.discovery.k8s.io", $"--as=system:serviceaccount:{ns}:viewer"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "watch", "endpoints", $"--as=system:serviceaccount:{ns}:viewer"));
    }
}
