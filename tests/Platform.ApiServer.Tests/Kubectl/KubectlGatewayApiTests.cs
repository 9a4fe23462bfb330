using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// Gateway API's GatewayClass, Gateway, HTTPRoute (gateway.networking.k8s.io/v1) and ReferenceGrant (v1beta1) through
/// kubectl: discovery of a group with two versions, apply, get with the CRDs' columns, explain, status subresources,
/// edit/view roles, and 422s naming each invalid field.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlGatewayApiTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task GatewayApiKinds_ApplyGetExplain_WithStatus_AndRoles()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "gwapi-" + Guid.NewGuid().ToString("N")[..8];
        var gcName = "platform-" + ns;
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        var resources = await kubectl.OkAsync(null, "api-resources", "--api-group=gateway.networking.k8s.io");
        Assert.Matches(@"(?m)^gatewayclasses\s+gc\s+gateway\.networking\.k8s\.io/v1\s+false\s+GatewayClass$", resources);
        Assert.Matches(@"(?m)^httproutes\s+gateway\.networking\.k8s\.io/v1\s+true\s+HTTPRoute$", resources);
        Assert.Matches(@"(?m)^referencegrants\s+refgrant\s+gateway\.networking\.k8s\.io/v1beta1\s+true\s+ReferenceGrant$", resources);

        var applied = await kubectl.OkAsync("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata:
              name: GC_NAME
            spec: {controllerName: platform.io/gateway-controller, description: the platform's gateway}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            spec:
              gatewayClassName: GC_NAME
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                allowedRoutes: {namespaces: {from: All}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop}
            spec:
              parentRefs: [{name: web, sectionName: http}]
              hostnames: [shop.example.com]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /api}
                  headers: [{name: x-canary, value: "yes"}]
                  queryParams: [{type: RegularExpression, name: v, value: "^[0-9]+$"}]
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-env, value: prod}], remove: [x-debug]}
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
                backendRefs:
                - {name: shop-v1, port: 8080, weight: 80}
                - {name: shop-v2, port: 8080, weight: 20}
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: from-web}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
              to: [{group: "", kind: Service}]
            """.Replace("GC_NAME", gcName, StringComparison.Ordinal), "apply", "-f", "-");
        Assert.Equal($"gatewayclass.gateway.networking.k8s.io/{gcName} created\ngateway.gateway.networking.k8s.io/web created\n"
            + "httproute.gateway.networking.k8s.io/shop created\nreferencegrant.gateway.networking.k8s.io/from-web created\n", applied);

        var classes = await kubectl.OkAsync(null, "get", "gc", gcName);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\n", classes);
        Assert.Matches($@"(?m)^{gcName}\s+platform\.io/gateway-controller\s+Unknown\s+\S+$", classes);
        Assert.Matches(@"(?m)^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE$", await kubectl.OkAsync(null, "get", "gateways"));
        Assert.Matches(@"(?m)^shop\s+\[""shop\.example\.com""\]\s+\S+$", await kubectl.OkAsync(null, "get", "httproutes"));
        Assert.Matches(@"(?m)^from-web\s+\S+$", await kubectl.OkAsync(null, "get", "referencegrants"));
        Assert.Equal("80", await kubectl.OkAsync(null, "get", "httproute", "shop", "-o", "jsonpath={.spec.rules[0].backendRefs[0].weight}"));
        Assert.Equal("/v2", await kubectl.OkAsync(null, "get", "httproute", "shop", "-o", "jsonpath={.spec.rules[0].filters[1].urlRewrite.path.replacePrefixMatch}"));

        // Status through the subresource, as the gateway writes it; get shows it.
        await kubectl.OkAsync(null, "patch", "gc", gcName, "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"","lastTransitionTime":"2026-01-01T00:00:00Z","observedGeneration":1}]}}""");
        Assert.Matches($@"(?m)^{gcName}\s+platform\.io/gateway-controller\s+True\s+\S+$", await kubectl.OkAsync(null, "get", "gatewayclasses"));
        await kubectl.OkAsync(null, "patch", "httproute", "shop", "--subresource=status", "--type=merge", "-p",
            """{"status":{"parents":[{"parentRef":{"name":"web"},"controllerName":"platform.io/gateway-controller","conditions":[{"type":"Accepted","status":"True","reason":"Accepted"},{"type":"ResolvedRefs","status":"False","reason":"BackendNotFound"}]}]}}""");
        Assert.Equal("BackendNotFound", await kubectl.OkAsync(null, "get", "httproute", "shop", "-o", "jsonpath={.status.parents[0].conditions[1].reason}"));
        await kubectl.OkAsync(null, "patch", "gateway", "web", "--subresource=status", "--type=merge", "-p",
            """{"status":{"addresses":[{"type":"IPAddress","value":"127.0.0.1"}],"conditions":[{"type":"Programmed","status":"True","reason":"Programmed"}],"listeners":[{"name":"http","attachedRoutes":1,"supportedKinds":[{"group":"gateway.networking.k8s.io","kind":"HTTPRoute"}],"conditions":[]}]}}""");
        Assert.Matches(@"(?m)^web\s+\S+\s+127\.0\.0\.1\s+True\s+\S+$", await kubectl.OkAsync(null, "get", "gtw"));

        Assert.Contains("backendRefs", await kubectl.OkAsync(null, "explain", "httproutes.spec.rules"));
        Assert.Contains("RefNotPermitted", await kubectl.OkAsync(null, "explain", "referencegrants"));
        Assert.Contains("allowedRoutes", await kubectl.OkAsync(null, "explain", "gateways.spec.listeners"));

        await kubectl.OkAsync(null, "create", "serviceaccount", "dev");
        await kubectl.OkAsync(null, "create", "serviceaccount", "reader");
        await kubectl.OkAsync(null, "create", "rolebinding", "dev", "--clusterrole=edit", $"--serviceaccount={ns}:dev");
        await kubectl.OkAsync(null, "create", "rolebinding", "reader", "--clusterrole=view", $"--serviceaccount={ns}:reader");
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "create", "httproutes.gateway.networking.k8s.io", $"--as=system:serviceaccount:{ns}:dev"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "create", "referencegrants.gateway.networking.k8s.io", $"--as=system:serviceaccount:{ns}:dev"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "list", "gateways.gateway.networking.k8s.io", $"--as=system:serviceaccount:{ns}:reader"));
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "create", "httproutes.gateway.networking.k8s.io", $"--as=system:serviceaccount:{ns}:reader")).Stdout);

        await kubectl.OkAsync(null, "delete", "httproute", "shop");
        await kubectl.OkAsync(null, "delete", "gc", gcName);
        Assert.DoesNotContain("shop", await kubectl.OkAsync(null, "get", "httproutes"), StringComparison.Ordinal);
    }
}
