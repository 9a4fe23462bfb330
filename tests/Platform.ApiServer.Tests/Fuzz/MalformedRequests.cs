using System.Text;
using System.Text.Json.Nodes;

namespace Platform.ApiServer.Tests.Fuzz;

/// <summary>Deterministic generator of malformed manifests and requests from valid seeds.</summary>
internal sealed class MalformedRequests(int seed, string ns)
{
    private readonly Random _rng = new(seed);

    private static readonly (string Url, string Json)[] Seeds =
    [
        ("/api/v1/namespaces/{ns}/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"}},"livenessProbe":{"httpGet":{"path":"/","port":80}}}]}}"""),
        ("/apis/apps/v1/namespaces/{ns}/deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
        ("/apis/apps/v1/namespaces/{ns}/replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r"},"spec":{"replicas":1,"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
        ("/api/v1/namespaces/{ns}/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080,"nodePort":30008}]}}"""),
        ("/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"b"}}"""),
        ("/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sec"},"data":{"a":"YWJj"}}"""),
        ("/api/v1/namespaces/{ns}/resourcequotas", """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":"10","requests.cpu":"4"}}}"""),
        ("/api/v1/namespaces/{ns}/events", """{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Started","type":"Normal"}"""),
        ("/apis/gateway.platform.io/v1/namespaces/{ns}/routes", """{"apiVersion":"gateway.platform.io/v1","kind":"Route","metadata":{"name":"rt"},"spec":{"uri":"lb://web","predicates":["Path=/a/**"],"filters":[{"name":"AddRequestHeader","args":{"name":"x","value":"y"}}]}}"""),
        ("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]},"status":{"capacity":{"cpu":"4","memory":"8Gi"}}}"""),
    ];

    public HttpRequestMessage Next()
    {
        var (url, json) = Seeds[_rng.Next(Seeds.Length)];
        url = url.Replace("{ns}", ns, StringComparison.Ordinal);
        return _rng.Next(12) switch
        {
            0 or 1 or 2 => Post(url, Mutate(JsonNode.Parse(json)!).ToJsonString(), "application/json"),
            3 => Post(url, Truncate(json), _rng.Next(2) == 0 ? "application/json" : "application/yaml"),
            4 => Post(url, BrokenYaml(), "application/yaml"),
            5 => Post(url, Deep(_rng.Next(65, 3000), _rng.Next(2) == 0), _rng.Next(2) == 0 ? "application/json" : "application/yaml"),
            6 => Post(url, json.Replace("\"name\":\"", "\"name\":\"" + HugeName(), StringComparison.Ordinal), "application/json"),
            7 => Post(url, _rng.Next(3) == 0 ? new string('a', 3 * 1024 * 1024 + 10) : "{\"metadata\":{\"name\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}", "application/json"),
            8 => new HttpRequestMessage(RandomMethod(), RandomUrl()) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            9 => new HttpRequestMessage(HttpMethod.Get, url + "?" + RandomQuery()),
            10 => new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(RandomBytes()) },
            _ => new HttpRequestMessage(HttpMethod.Patch, url + "/x") { Content = new StringContent(Mutate(JsonNode.Parse(json)!).ToJsonString(), Encoding.UTF8, RandomPatchType()) },
        };
    }

    private static HttpRequestMessage Post(string url, string body, string type) =>
        new(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, type) };

    private JsonNode Mutate(JsonNode root)
    {
        var mutations = _rng.Next(1, 4);
        for (var i = 0; i < mutations; i++)
        {
            var (parent, key, index) = RandomSlot(root);
            if (parent is null) return RandomValue(0) ?? JsonValue.Create(0)!;
            if (_rng.Next(4) == 0)
            {
                if (parent is JsonObject o && key is not null) o.Remove(key);
                else if (parent is JsonArray a && index >= 0) a.RemoveAt(index);
            }
            else if (parent is JsonObject o2 && key is not null) o2[key] = RandomValue(0);
            else if (parent is JsonArray a2 && index >= 0) a2[index] = RandomValue(0);
        }
        return root;
    }

    private (JsonNode? Parent, string? Key, int Index) RandomSlot(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode n)
        {
            if (n is JsonObject o) foreach (var (k, v) in o.ToList()) { slots.Add((o, k, -1)); if (v is not null) Walk(v); }
            if (n is JsonArray a) for (var i = 0; i < a.Count; i++) { slots.Add((a, null, i)); if (a[i] is { } v) Walk(v); }
        }
        Walk(root);
        return slots.Count == 0 ? (null, null, -1) : slots[_rng.Next(slots.Count)];
    }

    private JsonNode? RandomValue(int depth) => _rng.Next(depth > 2 ? 7 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(_rng.Next(-100000, 100000)),
        2 => JsonValue.Create(_rng.NextDouble() * 1e30),
        3 => JsonValue.Create(_rng.Next(2) == 0),
        4 => JsonValue.Create(HugeName()),
        5 => JsonValue.Create("-1"),
        6 => JsonValue.Create("\u0000\uffff✓ ünïcødé"),
        7 => new JsonArray(RandomValue(depth + 1), RandomValue(depth + 1)),
        _ => new JsonObject { ["k" + _rng.Next(10)] = RandomValue(depth + 1), ["name"] = RandomValue(depth + 1), ["ü✓\u0001" + _rng.Next(10)] = 1 },
    };

    private string HugeName() => _rng.Next(3) switch
    {
        0 => new string('a', _rng.Next(254, 5000)),
        1 => "UPPER_case.Name!",
        _ => new string('x', 64),
    };

    private string Truncate(string json) => json[.._rng.Next(1, json.Length - 1)];

    private string BrokenYaml() => _rng.Next(8) switch
    {
        0 => "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tab-indented\n",
        1 => "a: &x [1, 2]\nb: *x\n",
        2 => "a: [1, 2\nb: c\n",
        3 => "- just\n- a list\n",
        4 => "just a scalar",
        5 => "apiVersion: v1\n---\nkind: Pod\n",
        6 => "metadata: {name: a, name: b}\n",
        _ => "key: \"unterminated\n",
    };

    private static string Deep(int depth, bool json)
    {
        var sb = new StringBuilder();
        if (json)
        {
            sb.Append("{\"metadata\":");
            for (var i = 0; i < depth; i++) sb.Append("{\"a\":");
            sb.Append('1').Append('}', depth + 1);
        }
        else
        {
            sb.Append("metadata: ");
            for (var i = 0; i < depth; i++) sb.Append('[');
            sb.Append('1').Append(']', depth);
        }
        return sb.ToString();
    }

    private HttpMethod RandomMethod() => _rng.Next(5) switch
    {
        0 => HttpMethod.Get, 1 => HttpMethod.Post, 2 => HttpMethod.Put, 3 => HttpMethod.Patch, _ => HttpMethod.Delete,
    };

    private string RandomUrl()
    {
        string[] parts = ["api", "apis", "v1", "v2", "apps", "namespaces", ns, "pods", "widgets", "status", "scale", "binding", "x", "..", "%20", "nodes", "gateway.platform.io", new string('n', 300)];
        var n = _rng.Next(1, 8);
        return "/" + string.Join('/', Enumerable.Range(0, n).Select(_ => parts[_rng.Next(parts.Length)]));
    }

    private string RandomQuery()
    {
        string[] q =
        [
            "labelSelector=" + Uri.EscapeDataString("a in (b"), "labelSelector=" + Uri.EscapeDataString("!!a"), "labelSelector=" + Uri.EscapeDataString("a notin ()"),
            "labelSelector=" + Uri.EscapeDataString(new string('a', 5000)), "fieldSelector=spec.bogus=1", "fieldSelector=nooperator",
            "watch=true&resourceVersion=abc", "watch=true&resourceVersion=-5", "labelSelector=" + Uri.EscapeDataString("a=b=c"), "labelSelector=%FF%FE",
        ];
        return q[_rng.Next(q.Length)];
    }

    private byte[] RandomBytes()
    {
        var b = new byte[_rng.Next(1, 512)];
        _rng.NextBytes(b);
        return b;
    }

    private string RandomPatchType() => _rng.Next(4) switch
    {
        0 => "application/json-patch+json", 1 => "application/strategic-merge-patch+json", 2 => "text/plain", _ => "application/merge-patch+json",
    };
}
