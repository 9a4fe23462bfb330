using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>The columns <c>get</c> prints per kind, as kubectl does (<c>-o wide</c> adds some).</summary>
public static class TableColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row) For(ResourceKind kind, bool wide, DateTimeOffset now)
    {
        string Age(JsonObject o) => Printing.Age.Since((string?)o["metadata"]?["creationTimestamp"], now);
        string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? "";
        string S(JsonNode? n) => n?.ToString() ?? "";
        int Count(JsonNode? n) => n switch { JsonArray a => a.Count, JsonObject o => o.Count, _ => 0 };

        if (kind == ResourceKinds.Pod)
        {
            string[] h = wide ? ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"] : ["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
            return (h, o =>
            {
                var (ready, status, restarts) = PodColumns.Of(o, now);
                string[] row = [Name(o), ready, status, restarts, Age(o)];
                return wide ? [.. row, S(o["status"]?["podIP"]) is { Length: > 0 } ip ? ip : "<none>", S(o["spec"]?["nodeName"]) is { Length: > 0 } n ? n : "<none>"] : row;
            });
        }
        // -o wide on workloads: the template's containers and images and the selector, as kubectl prints them.
        string[] WorkloadWide(JsonObject o)
        {
            var containers = o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [];
            var selector = o["spec"]?["selector"];
            var labels = (selector?["matchLabels"] as JsonObject ?? []).Select(kv => $"{kv.Key}={S(kv.Value)}");
            var expressions = (selector?["matchExpressions"] as JsonArray ?? []).Select(e =>
                $"{S(e?["key"])} {S(e?["operator"])?.ToLowerInvariant()} ({string.Join(",", (e?["values"] as JsonArray ?? []).Select(S))})");
            return [string.Join(",", containers.Select(c => S(c?["name"]))), string.Join(",", containers.Select(c => S(c?["image"]))),
                string.Join(",", labels.Concat(expressions)) is { Length: > 0 } sel ? sel : "<none>"];
        }

        if (SetColumns.For(kind, wide, Name, Age, WorkloadWide) is { } sets) return sets;
        if (PolicyColumns.For(kind, Name, Age) is { } policy) return policy;
        if (KafkaColumns.For(kind, Name, Age) is { } kafka) return kafka;
        if (GatewayApiColumns.For(kind, wide, Name, Age) is { } gatewayApi) return gatewayApi;
        if (kind == ResourceKinds.Deployment)
            return (wide ? ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"] : ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], o =>
            {
                string[] row = [Name(o), $"{(int?)o["status"]?["readyReplicas"] ?? 0}/{(int?)o["spec"]?["replicas"] ?? 0}", S(o["status"]?["updatedReplicas"] ?? 0), S(o["status"]?["availableReplicas"] ?? 0), Age(o)];
                return wide ? [.. row, .. WorkloadWide(o)] : row;
            });
        if (kind == ResourceKinds.ReplicaSet)
            return (wide ? ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"] : ["NAME", "DESIRED", "CURRENT", "READY", "AGE"], o =>
            {
                string[] row = [Name(o), S(o["spec"]?["replicas"] ?? 0), S(o["status"]?["replicas"] ?? 0), S(o["status"]?["readyReplicas"] ?? 0), Age(o)];
                return wide ? [.. row, .. WorkloadWide(o)] : row;
            });
        if (kind == ResourceKinds.Service)
        {
            string[] h = wide ? ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"] : ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"];
            return (h, o =>
            {
                var ports = string.Join(",", (o["spec"]?["ports"] as JsonArray ?? []).Select(p =>
                    $"{S(p?["port"])}{(p?["nodePort"] is { } np ? ":" + S(np) : "")}/{S(p?["protocol"] ?? "TCP")}"));
                string[] row = [Name(o), S(o["spec"]?["type"]), S(o["spec"]?["clusterIP"]) is { Length: > 0 } ip ? ip : "<none>", ExternalIp(o), ports.Length > 0 ? ports : "<none>", Age(o)];
                var selector = string.Join(",", (o["spec"]?["selector"] as JsonObject ?? []).Select(kv => $"{kv.Key}={S(kv.Value)}"));
                return wide ? [.. row, selector.Length > 0 ? selector : "<none>"] : row;
            });
        }
        if (kind == ResourceKinds.Node) return NodeColumns.For(wide, now);
        if (kind == ResourceKinds.Namespace) return (["NAME", "STATUS", "AGE"], o => [Name(o), S(o["status"]?["phase"] ?? "Active"), Age(o)]);
        if (kind == ResourceKinds.ConfigMap) return (["NAME", "DATA", "AGE"], o => [Name(o), Count(o["data"]).ToString(System.Globalization.CultureInfo.InvariantCulture), Age(o)]);
        if (kind == ResourceKinds.Secret) return (["NAME", "TYPE", "DATA", "AGE"], o => [Name(o), S(o["type"]), Count(o["data"]).ToString(System.Globalization.CultureInfo.InvariantCulture), Age(o)]);
        if (kind == ResourceKinds.ResourceQuota)
            return (["NAME", "AGE", "REQUEST", "LIMIT"], o =>
            {
                // kubectl's columns: "used/hard" of each limited resource, limits.* under LIMIT, the rest under REQUEST.
                var hard = o["status"]?["hard"] as JsonObject ?? o["spec"]?["hard"] as JsonObject ?? [];
                var used = o["status"]?["used"] as JsonObject;
                var cells = hard.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, Text: $"{kv.Key}: {S(used?[kv.Key] ?? "0")}/{S(kv.Value)}")).ToList();
                string Join(bool limits) => string.Join(", ", cells.Where(c => c.Key.StartsWith("limits.", StringComparison.Ordinal) == limits).Select(c => c.Text));
                return [Name(o), Age(o), Join(limits: false), Join(limits: true)];
            });
        if (kind == ResourceKinds.LimitRange) return (["NAME", "CREATED AT"], o => [Name(o), S(o["metadata"]?["creationTimestamp"])]);
        if (kind == ResourceKinds.Event)
            return (["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], o =>
                [Printing.Age.Since((string?)o["lastTimestamp"], now), S(o["type"]), S(o["reason"]), $"{S(o["involvedObject"]?["kind"]).ToLowerInvariant()}/{S(o["involvedObject"]?["name"])}", S(o["message"])]);
        if (kind == ResourceKinds.Route)
            return (["NAME", "URI", "ORDER", "PREDICATES", "AGE"], o =>
                [Name(o), S(o["spec"]?["uri"]), S(o["spec"]?["order"] ?? 0), string.Join(" ", (o["spec"]?["predicates"] as JsonArray ?? []).Select(p => p is JsonValue ? S(p) : S(p?["name"]))), Age(o)]);
        if (kind == ResourceKinds.RouteFilter)
            return (["NAME", "FILTERS", "AGE"], o => [Name(o), S((o["spec"]?["filters"] as JsonArray)?.Count ?? 0), Age(o)]);
        if (kind == ResourceKinds.EndpointSlice) return (["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], o => [Name(o), S(o["addressType"]), EndpointColumns.SlicePorts(o), EndpointColumns.SliceEndpoints(o), Age(o)]);
        if (kind == ResourceKinds.HorizontalPodAutoscaler) return (HpaColumns.Headers, o => HpaColumns.Row(o, now));
        if (kind == ResourceKinds.Job)
            return (wide ? [.. JobColumns.JobHeaders, "CONTAINERS", "IMAGES", "SELECTOR"] : JobColumns.JobHeaders, o => wide ? [.. JobColumns.Job(o, now), .. WorkloadWide(o)] : JobColumns.Job(o, now));
        if (kind == ResourceKinds.CronJob)
            return (wide ? [.. JobColumns.CronJobHeaders, "CONTAINERS", "IMAGES", "SELECTOR"] : JobColumns.CronJobHeaders, o =>
                wide ? [.. JobColumns.CronJob(o, now), .. WorkloadWide(o["spec"]?["jobTemplate"] as JsonObject ?? [])] : JobColumns.CronJob(o, now));
        if (kind == ResourceKinds.Endpoints) return (["NAME", "ENDPOINTS", "AGE"], o => [Name(o), EndpointColumns.Endpoints(o), Age(o)]);
        if (kind == ResourceKinds.Lease) return (["NAME", "HOLDER", "AGE"], o => [Name(o), S(o["spec"]?["holderIdentity"]), Age(o)]);
        if (kind == ResourceKinds.Ingress) return (["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], o => [Name(o), .. IngressCells(o), Age(o)]);
        if (kind == ResourceKinds.IngressClass)
            return (["NAME", "CONTROLLER", "PARAMETERS", "AGE"], o =>
                [Name(o), S(o["spec"]?["controller"]), o["spec"]?["parameters"] is { } p ? $"{S(p["kind"])}/{S(p["name"])}" : "<none>", Age(o)]);
        if (StorageColumns.For(kind, wide, Age) is { } storage) return storage;
        return (["NAME", "AGE"], o => [Name(o), Age(o)]);
    }

    /// <summary>kubectl's Ingress cells: class, hosts (<c>*</c> for a rule without one), the load balancer's addresses, 80 or 80, 443 with TLS.</summary>
    private static string[] IngressCells(JsonNode o)
    {
        var spec = o["spec"];
        var hosts = (spec?["rules"] as JsonArray ?? []).Select(r => (string?)r?["host"] is { Length: > 0 } h ? h : "*").Distinct().ToList();
        var addresses = (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => (string?)i?["ip"] is { Length: > 0 } ip ? ip : (string?)i?["hostname"]).OfType<string>().ToList();
        var tls = spec?["tls"] is JsonArray { Count: > 0 };
        return [spec?["ingressClassName"]?.ToString() ?? "<none>", hosts.Count == 0 ? "*" : string.Join(",", hosts), string.Join(",", addresses), tls ? "80, 443" : "80"];
    }

    /// <summary>kubectl's EXTERNAL-IP: the alias of an ExternalName Service, a load balancer's ingress (<c>&lt;pending&gt;</c> until its implementation writes one), else <c>&lt;none&gt;</c>.</summary>
    private static string ExternalIp(JsonObject o)
    {
        var type = o["spec"]?["type"]?.ToString();
        if (type == "ExternalName") return o["spec"]?["externalName"]?.ToString() ?? "<none>";
        var ingress = (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Select(i => (i?["ip"] ?? i?["hostname"])?.ToString()).Where(a => a is { Length: > 0 }).ToList();
        if (ingress.Count > 0) return string.Join(",", ingress);
        return type == "LoadBalancer" ? "<pending>" : "<none>";
    }
}
