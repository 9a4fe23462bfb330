using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>Invalid Gateway API objects are 422 Invalid with a cause per field, in Gateway API's schema and CEL words.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class GatewayApiValidationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string V1 = "/apis/gateway.networking.k8s.io/v1";

    [Fact]
    public async Task InvalidHttpRoute_Is422_NamingEachField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/httproutes", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: bad}
            spec:
              hostnames: ["bad_host"]
              rules:
              - matches:
                - path: {type: Glob, value: /x}
                  headers: [{type: Fuzzy, name: x-a, value: b}]
                  queryParams: [{name: q}]
                  method: FETCH
                - path: {type: Exact, value: relative}
                filters:
                - {type: RequestHeaderModifier}
                - {type: Teleport}
                - type: RequestRedirect
                  requestRedirect: {scheme: ftp, statusCode: 418, path: {type: ReplaceFullPath}}
                - type: RequestMirror
                  requestMirror: {}
                backendRefs:
                - {name: a, port: 80, weight: 1000001}
                - {name: b, weight: -1}
            """);
        Assert.Equal("Required value", errors["spec.parentRefs"]);
        Assert.Contains("should match", errors["spec.hostnames[0]"]);
        Assert.Equal("Unsupported value: \"Glob\": supported values: \"Exact\", \"PathPrefix\", \"RegularExpression\"", errors["spec.rules[0].matches[0].path.type"]);
        Assert.Equal("Unsupported value: \"Fuzzy\": supported values: \"Exact\", \"RegularExpression\"", errors["spec.rules[0].matches[0].headers[0].type"]);
        Assert.Equal("Required value", errors["spec.rules[0].matches[0].queryParams[0].value"]);
        Assert.StartsWith("Unsupported value: \"FETCH\"", errors["spec.rules[0].matches[0].method"]);
        Assert.Contains("value must be an absolute path and start with '/'", errors["spec.rules[0].matches[1].path"]);
        Assert.Contains("filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type", errors["spec.rules[0].filters[0]"]);
        Assert.StartsWith("Unsupported value: \"Teleport\": supported values: \"RequestHeaderModifier\"", errors["spec.rules[0].filters[1].type"]);
        Assert.StartsWith("Unsupported value: \"ftp\"", errors["spec.rules[0].filters[2].requestRedirect.scheme"]);
        Assert.StartsWith("Unsupported value: 418", errors["spec.rules[0].filters[2].requestRedirect.statusCode"]);
        Assert.Contains("replaceFullPath must be specified when type is set to 'ReplaceFullPath'", errors["spec.rules[0].filters[2].requestRedirect.path"]);
        Assert.Equal("Required value", errors["spec.rules[0].filters[3].requestMirror.backendRef"]);
        Assert.Equal("Invalid value: 1000001: spec.rules[0].backendRefs[0].weight in body should be less than or equal to 1000000", errors["spec.rules[0].backendRefs[0].weight"]);
        Assert.Equal("Invalid value: -1: spec.rules[0].backendRefs[1].weight in body should be greater than or equal to 0", errors["spec.rules[0].backendRefs[1].weight"]);
        Assert.Contains("Must have port for Service reference", errors["spec.rules[0].backendRefs[1]"]);

        errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/httproutes", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: both}
            spec:
              parentRefs: [{name: web}]
              rules:
              - matches: [{path: {type: Exact, value: /a}}]
                filters:
                - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}
                - {type: URLRewrite, urlRewrite: {hostname: x.example.com}, requestRedirect: {scheme: https}}
            """);
        Assert.Contains("May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both", errors["spec.rules[0].filters"]);
        Assert.Contains("exactly one PathPrefix match must be specified", errors["spec.rules[0].filters[0].requestRedirect.path"]);
        Assert.Contains("filter.requestRedirect must be nil if the filter.type is not RequestRedirect", errors["spec.rules[0].filters[1]"]);

        errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/httproutes", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: timeouts}
            spec:
              parentRefs: [{name: web}]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/items/(unclosed"}}]
                timeouts: {request: 10s, backendRequest: 11s}
              - timeouts: {request: ten seconds, backendRequest: 500us}
              - timeouts: {request: 0s, backendRequest: 1h}
              - timeouts: {request: 1m30s, backendRequest: 500ms}
            """);
        Assert.StartsWith("Invalid value: \"/items/(unclosed\": not a valid regular expression", errors["spec.rules[0].matches[0].path.value"]);
        Assert.Equal("Invalid value: \"object\": backendRequest timeout cannot be longer than request timeout", errors["spec.rules[0].timeouts"]);
        Assert.Equal("Invalid value: \"ten seconds\": spec.rules[1].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'",
            errors["spec.rules[1].timeouts.request"]);
        Assert.Contains("spec.rules[1].timeouts.backendRequest", errors.Keys);
        // 0s turns the request timeout off, so any backendRequest is allowed; 1m30s is 90s.
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public async Task HttpRouteRuleCelRules_RedirectWithBackends_PrefixReplacementWithoutOnePathPrefix_AndPathCharacters()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/httproutes", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: rules}
            spec:
              parentRefs: [{name: web}]
              rules:
              - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
                backendRefs: [{name: a, port: 80}]
              - matches: [{path: {value: /a}}, {path: {value: /b}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}}]
                backendRefs: [{name: a, port: 80}]
              - matches:
                - path: {type: PathPrefix, value: /up/..}
                - path: {type: Exact, value: "/with space"}
                - path: {type: Exact, value: /a%2Fb}
                - path: {type: PathPrefix, value: /dot/.}
                - path: {type: RegularExpression, value: "/free form ok"}
                backendRefs: [{name: a, port: 80}]
            """);
        Assert.Equal("Invalid value: \"object\": RequestRedirect filter must not be used together with backendRefs", errors["spec.rules[0]"]);
        Assert.Equal("Invalid value: \"object\": When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            errors["spec.rules[1].filters[0].urlRewrite.path"]);
        Assert.Equal("Invalid value: \"object\": must not end with '/..' when type one of ['Exact', 'PathPrefix']", errors["spec.rules[2].matches[0].path"]);
        Assert.StartsWith("Invalid value: \"object\": must only contain valid characters", errors["spec.rules[2].matches[1].path"]);
        Assert.Equal("Invalid value: \"object\": must not contain '%2F' when type one of ['Exact', 'PathPrefix']", errors["spec.rules[2].matches[2].path"]);
        Assert.Equal("Invalid value: \"object\": must not end with '/.' when type one of ['Exact', 'PathPrefix']", errors["spec.rules[2].matches[3].path"]);
        Assert.Equal(6, errors.Count);

        // One PathPrefix match, or none (the default is one on "/"), allows a prefix replacement; a redirect alone needs no backend.
        await http.PostAsync($"{V1}/namespaces/{ns}/httproutes", Http.Yaml("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: good}
            spec:
              parentRefs: [{name: web}]
              rules:
              - matches: [{path: {value: /a}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}}]
                backendRefs: [{name: a, port: 80}]
              - filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /d}}}]
            """)).ExpectAsync(201);
    }

    [Fact]
    public async Task HttpRouteBackendRefFilters_AreCheckedAsRuleFilters_InGatewayApisBackendRefWords()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/httproutes", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: bad}
            spec:
              parentRefs: [{name: web}]
              rules:
              - matches: [{path: {type: Exact, value: /a}}]
                backendRefs:
                - name: a
                  port: 80
                  filters:
                  - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}
                  - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}}
                - name: b
                  port: 80
                  filters:
                  - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: "1"}]}}
                  - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-b, value: "2"}]}}
                  - {type: Teleport}
            """);
        Assert.Equal("Invalid value: \"array\": May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
            errors["spec.rules[0].backendRefs[0].filters"]);
        Assert.Equal("Invalid value: \"object\": Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            errors["spec.rules[0].backendRefs[0].filters[0].urlRewrite.path"]);
        Assert.Equal("Invalid value: \"object\": Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            errors["spec.rules[0].backendRefs[0].filters[1].requestRedirect.path"]);
        Assert.Equal("Invalid value: \"array\": RequestHeaderModifier filter cannot be repeated", errors["spec.rules[0].backendRefs[1].filters"]);
        Assert.StartsWith("Unsupported value: \"Teleport\"", errors["spec.rules[0].backendRefs[1].filters[2].type"]);
        Assert.Equal(5, errors.Count);

        // Every filter type of a rule is allowed on a backendRef too (Gateway API's CEL rules refuse none of them there).
        await http.PostAsync($"{V1}/namespaces/{ns}/httproutes", Http.Yaml("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: good}
            spec:
              parentRefs: [{name: web}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /a}}]
                backendRefs:
                - name: a
                  port: 80
                  filters:
                  - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: "1"}]}}
                  - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [x-b]}}
                  - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}
                  - {type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}}}
                  - {type: ExtensionRef, extensionRef: {group: gateway.platform.io, kind: RouteFilter, name: team}}
                - name: b
                  port: 80
                  filters: [{type: RequestRedirect, requestRedirect: {statusCode: 302, hostname: b.example.com}}]
            """)).ExpectAsync(201);
    }

    [Fact]
    public async Task InvalidGatewayClassGatewayAndGrant_Are422_NamingEachField()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, $"{V1}/gatewayclasses", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: bad-class}
            spec: {controllerName: no-slash}
            """);
        Assert.Contains("spec.controllerName in body should match", errors["spec.controllerName"]);

        errors = await InvalidCauses.PostAsync(http, $"{V1}/namespaces/{ns}/gateways", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: bad}
            spec:
              listeners:
              - {name: http, port: 0, protocol: HTTP, allowedRoutes: {namespaces: {from: Everywhere}}}
              - {name: http, port: 70000, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector}}}
              - {name: web, port: 443, protocol: HTTPS}
            """);
        Assert.Equal("Required value", errors["spec.gatewayClassName"]);
        Assert.Equal("Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1", errors["spec.listeners[0].port"]);
        Assert.Equal("Invalid value: 70000: spec.listeners[1].port in body should be less than or equal to 65535", errors["spec.listeners[1].port"]);
        Assert.Equal("Unsupported value: \"Everywhere\": supported values: \"All\", \"Same\", \"Selector\"", errors["spec.listeners[0].allowedRoutes.namespaces.from"]);
        Assert.Contains("selector must be specified when from is Selector", errors["spec.listeners[1].allowedRoutes.namespaces.selector"]);
        Assert.Contains("Listener name must be unique within the Gateway", errors["spec.listeners"]);
        Assert.Contains("tls mode must be set for protocols ['HTTPS', 'TLS']", errors["spec.listeners[2]"]);

        errors = await InvalidCauses.PostAsync(http, $"/apis/gateway.networking.k8s.io/v1beta1/namespaces/{ns}/referencegrants", """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: bad}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]
            """);
        Assert.Equal("Required value", errors["spec.from[0].namespace"]);
        Assert.Equal("Required value", errors["spec.to"]);

        // A class's controller is fixed once created.
        var name = "fixed-" + ns;
        await http.PostAsync($"{V1}/gatewayclasses", Http.Yaml($"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {"{"}name: {name}{"}"}
            spec: {"{"}controllerName: platform.io/gateway-controller{"}"}
            """)).ExpectAsync(201);
        using var r = await http.PatchAsync($"{V1}/gatewayclasses/{name}",
            new StringContent("""{"spec":{"controllerName":"example.com/other"}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 422, text);
        Assert.Contains("Value is immutable", text, StringComparison.Ordinal);
        await http.DeleteAsync($"{V1}/gatewayclasses/{name}");
    }
}
