using System.Text;
using Platform.Testing.Fuzz;

namespace Platform.ApiServer.Tests.Fuzz;

/// <summary>
/// What kubectl and the platform's clients send the apiserver (one manifest per kind, selectors, merge patches,
/// kubectl's protobuf bodies), bent by the shared <see cref="Mutator"/>.
/// </summary>
internal sealed class ApiServerCorpus(string ns)
{
    private static readonly (string Url, string Json)[] Seeds =
    [
        ("/api/v1/namespaces/{ns}/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"}},"livenessProbe":{"httpGet":{"path":"/","port":80}}}]}}"""),
        ("/apis/apps/v1/namespaces/{ns}/deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
        ("/apis/apps/v1/namespaces/{ns}/replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r"},"spec":{"replicas":1,"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
        ("/api/v1/namespaces/{ns}/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080,"nodePort":30008}]}}"""),
        ("/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"b"}}"""),
        ("/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sec"},"data":{"a":"YWJj"}}"""),
        ("/api/v1/namespaces/{ns}/resourcequotas", """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":"10","requests.cpu":"4"}}}"""),
        ("/api/v1/namespaces/{ns}/resourcequotas", """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"counts"},"spec":{"hard":{"configmaps":"50","services.nodeports":"5","count/deployments.apps":"20","limits.memory":"8Gi"}}}"""),
        ("/api/v1/namespaces/{ns}/limitranges", """{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"lr"},"spec":{"limits":[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"},"max":{"cpu":"2"},"min":{"cpu":"10m"},"maxLimitRequestRatio":{"cpu":"10"}},{"type":"Pod","max":{"memory":"1Gi"}}]}}"""),
        ("/api/v1/namespaces/{ns}/events", """{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Started","type":"Normal"}"""),
        ("/apis/gateway.platform.io/v1/namespaces/{ns}/routes", """{"apiVersion":"gateway.platform.io/v1","kind":"Route","metadata":{"name":"rt"},"spec":{"uri":"lb://web","predicates":["Path=/a/**"],"filters":[{"name":"AddRequestHeader","args":{"name":"x","value":"y"}}]}}"""),
        ("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]},"status":{"capacity":{"cpu":"4","memory":"8Gi"}}}"""),
    ];

    /// <summary>Selectors kubectl sends, broken; <c>watch=true</c> only with a resourceVersion the server must refuse (a valid watch streams on).</summary>
    private static readonly string[] Selectors =
    [
        "labelSelector=" + Uri.EscapeDataString("a in (b"), "labelSelector=" + Uri.EscapeDataString("!!a"), "labelSelector=" + Uri.EscapeDataString("a notin ()"),
        "labelSelector=" + Uri.EscapeDataString(new string('a', 5000)), "fieldSelector=spec.bogus=1", "fieldSelector=nooperator",
        "watch=true&resourceVersion=abc", "watch=true&resourceVersion=-5", "labelSelector=" + Uri.EscapeDataString("a=b=c"), "labelSelector=%FF%FE",
    ];

    private static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/strategic-merge-patch+json", "text/plain", "application/merge-patch+json"];

    public FuzzRequest Next(Mutator m)
    {
        var (url, json) = m.Pick(Seeds);
        url = url.Replace("{ns}", ns, StringComparison.Ordinal);
        var yamlOrJson = m.OneIn(2) ? "application/json" : "application/yaml";
        return m.Next(15) switch
        {
            0 or 1 or 2 => Post(url, "json", m.JsonBody(json), "application/json"),
            3 => Post(url, "truncated", Encoding.UTF8.GetBytes(m.Truncate(json)), yamlOrJson),
            4 => Post(url, "yaml", Encoding.UTF8.GetBytes(m.BrokenYaml()), "application/yaml"),
            5 => Post(url, "deep", Encoding.UTF8.GetBytes(yamlOrJson == "application/json"
                ? "{\"metadata\":" + Mutator.DeepJson(m.Next(65, 3000), m.OneIn(2)) + "}"
                : "metadata: " + new string('[', 2000) + "1" + new string(']', 2000)), yamlOrJson),
            6 => Post(url, "name", Encoding.UTF8.GetBytes(json.Replace("\"name\":\"", "\"name\":\"" + m.HugeString(), StringComparison.Ordinal)), "application/json"),
            7 => Post(url, "3MiB", Encoding.UTF8.GetBytes(m.OneIn(3) ? new string('a', 3 * 1024 * 1024 + 10) : "{\"metadata\":{\"name\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}"), "application/json"),
            8 => new FuzzRequest(m.Method("POST"), RandomUrl(m)) { Label = "url" }.WithBody(json, "application/json"),
            9 => FuzzRequest.Get(url + "?" + m.Pick(Selectors), "selector"),
            10 => FuzzRequest.Get(url + m.Query(("labelSelector", "app=web"), ("fieldSelector", "metadata.name=p"), ("limit", "10")), "query"),
            11 => Post(url, "bytes", m.RandomBytes(), m.ContentType("application/json")),
            13 or 14 => ProtobufCorpus.Next(m, ns),
            _ => new FuzzRequest("PATCH", url + "/x") { Label = "patch" }.WithBody(m.JsonBody(json), m.Pick(PatchTypes)),
        };
    }

    private static FuzzRequest Post(string url, string label, byte[] body, string contentType) =>
        new FuzzRequest("POST", url) { Label = label }.WithBody(body, contentType);

    private string RandomUrl(Mutator m)
    {
        string[] parts = ["api", "apis", "v1", "v2", "apps", "namespaces", ns, "pods", "widgets", "status", "scale", "binding", "x", "..", "%20", "nodes", "gateway.platform.io"];
        return "/" + string.Join('/', Enumerable.Range(0, m.Next(1, 8)).Select(_ => m.OneIn(8) ? m.Segment("x") : m.Pick(parts)));
    }
}
