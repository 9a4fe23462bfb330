using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.ApiServer.Tests.Kubectl;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.ServiceAllocation;

/// <summary>Cluster IPs and node ports as kubectl users see them: allocated, honoured, refused when taken, freed on delete.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class ServiceAllocationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static string Svc(string name, string extra = "", string ports = "[{port: 80}]", string type = "ClusterIP") =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: {type}\n  selector: {{app: {name}}}\n  ports: {ports}\n{extra}";

    [Fact]
    public async Task ClusterIp_IsAllocatedAndPrinted_RequestedIpHonoured_DuplicatesRefusedWithKubernetesMessages()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "svc-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Equal("service/web created\n", await kubectl.OkAsync(Svc("web"), "apply", "-f", "-"));
        var table = (await kubectl.OkAsync(null, "get", "svc")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$", table[0]);
        var row = Assert.Single(table[1..]);
        Assert.Matches(@"^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+\d+s$", row);
        var ip = await kubectl.OkAsync(null, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP} {.spec.clusterIPs[0]} {.spec.ipFamilies[0]}");
        Assert.Matches(@"^(10\.96\.\d+\.\d+) \1 IPv4$", ip);
        Assert.NotEqual("10.96.0.1", ip.Split(' ')[0]);
        // Applying the manifest again (no clusterIP in it) keeps the allocated one.
        Assert.Equal("service/web unchanged\n", await kubectl.OkAsync(Svc("web"), "apply", "-f", "-"));

        Assert.Equal("service/dns created\n", await kubectl.OkAsync(Svc("dns", "  clusterIP: 10.96.0.10\n"), "apply", "-f", "-"));
        Assert.Equal("10.96.0.10", await kubectl.OkAsync(null, "get", "svc", "dns", "-o", "jsonpath={.spec.clusterIP}"));
        var taken = await kubectl.RunAsync(Svc("dns2", "  clusterIP: 10.96.0.10\n"), "apply", "-f", "-");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("The Service \"dns2\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated", taken.Stderr);
        var outside = await kubectl.RunAsync(Svc("far", "  clusterIP: 10.0.0.5\n"), "apply", "-f", "-");
        Assert.Contains("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16", outside.Stderr);

        // The cluster IP may not change once set.
        var changed = await kubectl.RunAsync(null, "patch", "svc", "dns", "-p", """{"spec":{"clusterIP":"10.96.0.11","clusterIPs":["10.96.0.11"]}}""");
        Assert.Contains("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set", changed.Stderr);

        // Deleting frees the address: another Service can ask for it.
        Assert.Equal("service \"dns\" deleted\n", await kubectl.OkAsync(null, "delete", "svc", "dns"));
        Assert.Equal("service/dns2 created\n", await kubectl.OkAsync(Svc("dns2", "  clusterIP: 10.96.0.10\n"), "apply", "-f", "-"));
    }

    [Fact]
    public async Task NodePort_SeedsPortHonoured_DuplicateAndOutOfRangeRefused_FreedOnDeleteAndOnTypeChange()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "svc-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);
        const string Seed = "[{targetPort: 80, port: 80, nodePort: 30008}]";

        Assert.Equal("service/myapp-service created\n", await kubectl.OkAsync(Svc("myapp-service", ports: Seed, type: "NodePort"), "apply", "-f", "-"));
        Assert.Matches(@"myapp-service\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:30008/TCP", await kubectl.OkAsync(null, "get", "svc"));
        var dup = await kubectl.RunAsync(Svc("other", ports: Seed, type: "NodePort"), "apply", "-f", "-");
        Assert.NotEqual(0, dup.ExitCode);
        Assert.Contains("The Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated", dup.Stderr);
        var range = await kubectl.RunAsync(Svc("other", ports: "[{port: 80, nodePort: 40000}]", type: "NodePort"), "apply", "-f", "-");
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767", range.Stderr);
        var clusterIp = await kubectl.RunAsync(Svc("other", ports: Seed), "apply", "-f", "-");
        Assert.Contains("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", clusterIp.Stderr);

        // A LoadBalancer gets node ports too; its EXTERNAL-IP waits for a load balancer implementation.
        Assert.Equal("service/lb created\n", await kubectl.OkAsync(Svc("lb", type: "LoadBalancer"), "apply", "-f", "-"));
        var lb = await kubectl.OkAsync(null, "get", "svc", "lb");
        Assert.Matches(@"lb\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+<pending>\s+80:3\d{4}/TCP", lb);
        var lbPort = int.Parse(await kubectl.OkAsync(null, "get", "svc", "lb", "-o", "jsonpath={.spec.ports[0].nodePort}"));
        Assert.InRange(lbPort, 30000, 32767);
        Assert.NotEqual(30008, lbPort);
        // An unrelated update keeps the node port.
        await kubectl.OkAsync(null, "label", "svc", "lb", "tier=edge");
        Assert.Equal(lbPort.ToString(), await kubectl.OkAsync(null, "get", "svc", "lb", "-o", "jsonpath={.spec.ports[0].nodePort}"));

        // Deleted: 30008 is free again. Type changed to ClusterIP: the LoadBalancer's port is free again.
        await kubectl.OkAsync(null, "delete", "svc", "myapp-service");
        Assert.Equal("service/other created\n", await kubectl.OkAsync(Svc("other", ports: Seed, type: "NodePort"), "apply", "-f", "-"));
        Assert.Equal("service/lb patched\n", await kubectl.OkAsync(null, "patch", "svc", "lb", "-p", """{"spec":{"type":"ClusterIP"}}"""));
        Assert.Equal("", await kubectl.OkAsync(null, "get", "svc", "lb", "-o", "jsonpath={.spec.ports[0].nodePort}"));
        Assert.Equal("service/reuse created\n", await kubectl.OkAsync(Svc("reuse", ports: $"[{{port: 80, nodePort: {lbPort}}}]", type: "NodePort"), "apply", "-f", "-"));
    }

    [Fact]
    public async Task HeadlessAndExternalName_GetNoIp_ConcurrentCreatesGetDistinctIpsAndPorts()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/services";

        var headless = await http.PostAsync(url, Http.Yaml(Svc("peers", "  clusterIP: None\n"))).ExpectAsync(201);
        Assert.Equal("None", (string?)headless["spec"]!["clusterIP"]);
        var external = await http.PostAsync(url, Http.Yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n")).ExpectAsync(201);
        Assert.Null(external["spec"]!["clusterIP"]);
        Assert.Null(external["spec"]!["clusterIPs"]);
        var bad = await http.PostAsync(url, Http.Yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: db2\nspec:\n  type: ExternalName\n  externalName: Not_A_Name\n")).ExpectAsync(422);
        Assert.Contains("spec.externalName: Invalid value: \"Not_A_Name\"", (string?)bad["detail"]);
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_service_ips WHERE namespace = $1", ns));

        var creates = Enumerable.Range(0, 24).Select(i => http.PostAsync(url, Http.Yaml(Svc($"s{i}", type: "NodePort"))).ExpectAsync(201));
        var created = await Task.WhenAll(creates);
        var ips = created.Select(s => (string)s["spec"]!["clusterIP"]!).ToList();
        var ports = created.Select(s => (int)s["spec"]!["ports"]![0]!["nodePort"]!).ToList();
        Assert.Equal(24, ips.Distinct().Count());
        Assert.Equal(24, ports.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("10.96.", ip));
        Assert.Equal(24L, await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM apiserver_service_ips WHERE namespace = $1", ns));

        // Deleting the namespace frees everything its Services held.
        await http.DeleteAsync($"/api/v1/namespaces/{ns}").ExpectAsync(200);
        Assert.Equal(0L, await Db.ScalarAsync<long>(host.ConnectionString,
            "SELECT (SELECT count(*) FROM apiserver_service_ips WHERE namespace = $1) + (SELECT count(*) FROM apiserver_node_ports WHERE namespace = $1)", ns));
    }

    [Fact]
    public async Task ConfiguredRanges_AreAllocatedFrom_AndAFullRangeIsRefused()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:ServiceClusterIpRange"] = "172.30.0.0/29";
            s["ApiServer:ServiceNodePortRange"] = "31000-31009";
        });
        using var http = host.AdminClient();
        var url = $"/api/v1/namespaces/{await http.CreateNamespaceAsync()}/services";
        // A /29 has hosts .1-.6; .1 is the kubernetes Service's (made at start), so five are handed out.
        var ips = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var svc = await http.PostAsync(url, Http.Yaml(Svc($"s{i}", type: "NodePort"))).ExpectAsync(201);
            ips.Add((string)svc["spec"]!["clusterIP"]!);
            Assert.InRange((int)svc["spec"]!["ports"]![0]!["nodePort"]!, 31000, 31009);
        }
        Assert.Equal(["172.30.0.2", "172.30.0.3", "172.30.0.4", "172.30.0.5", "172.30.0.6"], ips.Order(StringComparer.Ordinal));
        var full = await http.PostAsync(url, Http.Yaml(Svc("s5"))).ExpectAsync(422);
        Assert.Contains("spec.clusterIPs: failed to allocate a serviceIP: range is full", (string?)full["detail"]);
        var kubernetes = await http.GetAsync("/api/v1/namespaces/default/services/kubernetes").ExpectAsync(200);
        Assert.Equal("172.30.0.1", (string?)kubernetes["spec"]!["clusterIP"]);
        var taken = await http.PostAsync(url, Http.Yaml(Svc("first", "  clusterIP: 172.30.0.1\n"))).ExpectAsync(422);
        Assert.Contains("provided IP is already allocated", (string?)taken["detail"]);
        var range = await http.PostAsync(url, Http.Yaml(Svc("far", ports: "[{port: 80, nodePort: 30008}]", type: "NodePort"))).ExpectAsync(422);
        Assert.Contains("The range of valid ports is 31000-31009", (string?)range["detail"]);
    }

    [Fact]
    public async Task Restart_RepairsAllocations_FreesRowsOfGoneServices_RecordsMissingOnes()
    {
        var db = await pg.CreateDatabaseAsync("apiserver");
        string ns;
        JsonObject kept;
        await using (var host = await ApiServerHost.StartAsync(pg, kafka, connectionString: db))
        {
            using var http = host.AdminClient();
            ns = await http.CreateNamespaceAsync();
            kept = await http.PostAsync($"/api/v1/namespaces/{ns}/services", Http.Yaml(Svc("kept", type: "NodePort"))).ExpectAsync(201);
        }
        // As if the rows were lost (a restored dump), and a leftover row held an address for a Service that is gone.
        await Db.ScalarAsync<int>(db, "DELETE FROM apiserver_service_ips WHERE namespace = $1", ns);
        await Db.ScalarAsync<int>(db, "DELETE FROM apiserver_node_ports WHERE namespace = $1", ns);
        await Db.ScalarAsync<int>(db, "INSERT INTO apiserver_service_ips VALUES ('10.96.0.77', $1, 'gone', gen_random_uuid())", ns);

        await using (var host = await ApiServerHost.StartAsync(pg, kafka, connectionString: db))
        {
            using var http = host.AdminClient();
            var url = $"/api/v1/namespaces/{ns}/services";
            var ip = (string)kept["spec"]!["clusterIP"]!;
            var port = (int)kept["spec"]!["ports"]![0]!["nodePort"]!;
            var again = await http.PostAsync(url, Http.Yaml(Svc("again", $"  clusterIP: {ip}\n"))).ExpectAsync(422);
            Assert.Contains("provided IP is already allocated", (string?)again["detail"]);
            var portAgain = await http.PostAsync(url, Http.Yaml(Svc("again", ports: $"[{{port: 80, nodePort: {port}}}]", type: "NodePort"))).ExpectAsync(422);
            Assert.Contains("provided port is already allocated", (string?)portAgain["detail"]);
            await http.PostAsync(url, Http.Yaml(Svc("freed", "  clusterIP: 10.96.0.77\n"))).ExpectAsync(201);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{url}/freed")).StatusCode);
        }
    }
}
