using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

// The same wrk load straight to a pod IP, through the Service's ClusterIP and through its NodePort, with keep-alive and
// with a new connection per request, for each of the node agent's proxy modes (userspace, then nftables; or
// BENCH_PROXY_MODES) in one run. The backend is nginx started in
// the pod's network namespace (busybox httpd forks per connection and would be the bottleneck), so the pod IP is its
// real address; the bench writes the Service's EndpointSlice itself, as the EndpointSlice controller would.
var duration = args.Length > 0 ? args[0] : "8s";
var connections = args.Length > 1 ? args[1] : "32";
var threads = args.Length > 2 ? args[2] : "2";
var modes = (Environment.GetEnvironmentVariable("BENCH_PROXY_MODES") ?? "userspace,nftables").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var cluster = new ClusterFixture();
await cluster.InitializeAsync();
var results = new List<(string Mode, string Target, string Connections, double Rps, string P99)>();
try
{
    // One mode after the other, each with its own agent, pod and Service, in the same run.
    foreach (var proxyMode in modes) results.AddRange(await MeasureAsync(cluster, proxyMode, duration, connections, threads));
}
finally
{
    await cluster.DisposeAsync();
}
Console.WriteLine($"service proxy: wrk {threads} threads, {connections} connections, {duration} per run; one nginx backend in the pod's network namespace");
Console.WriteLine($"{"proxy mode",-11} {"target",-12} {"connections",-16} {"requests/s",12} {"p99",10}");
foreach (var r in results) Console.WriteLine($"{r.Mode,-11} {r.Target,-12} {r.Connections,-16} {r.Rps,12:0} {r.P99,10}");

static async Task<List<(string, string, string, double, string)>> MeasureAsync(ClusterFixture cluster, string proxyMode, string duration, string connections, string threads)
{
    var work = Directory.CreateTempSubdirectory("service-proxy-bench.").FullName;
    var node = "bench-" + Guid.NewGuid().ToString("N")[..6];
    NodeAgentHost? agent = null;
    Process? nginx = null;
    var results = new List<(string, string, string, double, string)>();
    try
    {
        using var admin = cluster.ApiServer.Client();
        var ns = await admin.CreateNamespaceAsync();
        agent = await NodeAgentHost.StartAsync(cluster, node, await admin.CreateNodeTokenAsync(node), s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = NodeAgentHost.NextPodCidr();
            s["NodeAgent:Proxy:Enabled"] = "true";
            s["NodeAgent:Proxy:Mode"] = proxyMode;
            s["NodeAgent:SyncInterval"] = "00:00:01";
            s["NodeAgent:HeartbeatInterval"] = "00:00:10";
        });
        await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", ServiceBackendPods.NamedHttpd("backend", node, new() { ["app"] = "bench" }));
        var pod = await Eventually.WaitAsync(async () => await admin.GetPodAsync(ns, "backend") is { } p && p.IsReady() ? p : null, TimeSpan.FromSeconds(60), "backend pod Ready");
        var podIp = pod.Status!.PodIP!;
        var containerId = pod.Status.ContainerStatuses![0].ContainerID!["docker://".Length..];
        var pid = (await cluster.Docker.Client.Containers.InspectContainerAsync(containerId)).State.Pid;

        await File.WriteAllTextAsync(Path.Combine(work, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{work}}/nginx.pid;
            error_log {{work}}/error.log warn;
            daemon off;
            events { worker_connections 4096; }
            http {
              access_log off;
              keepalive_requests 1000000;
              client_body_temp_path {{work}}/body;
              proxy_temp_path {{work}}/proxy;
              fastcgi_temp_path {{work}}/fastcgi;
              uwsgi_temp_path {{work}}/uwsgi;
              scgi_temp_path {{work}}/scgi;
              server {
                listen 8080 reuseport;
                listen 8081 reuseport;
                listen 8082 reuseport;
                location / { default_type text/plain; return 200 "hello from the pod\n"; }
              }
            }
            """);
        nginx = Process.Start(new ProcessStartInfo("nsenter", ["-t", pid.ToString(CultureInfo.InvariantCulture), "-n", "nginx", "-p", work, "-c", Path.Combine(work, "nginx.conf")])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;

        await admin.CreateAsync($"/api/v1/namespaces/{ns}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "bench" },
            // A server port per target: a NATed client's TCP timestamps follow its own address pair, so sharing the pod's
            // TIME_WAIT tuples with the other targets' runs would stall its SYNs on PAWS checks for a minute.
            Spec = new ServiceSpec { Type = "NodePort", Ports = [new ServicePort { Name = "cluster", Port = 80, TargetPort = 8081 }, new ServicePort { Name = "node", Port = 81, TargetPort = 8082 }] },
        });
        await admin.CreateAsync($"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", new EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1", Kind = "EndpointSlice", AddressType = "IPv4",
            Metadata = new ObjectMeta { Name = "bench-1", Labels = new() { ["kubernetes.io/service-name"] = "bench" } },
            Ports = [new EndpointPort { Name = "cluster", Protocol = "TCP", Port = 8081 }, new EndpointPort { Name = "node", Protocol = "TCP", Port = 8082 }],
            Endpoints = [new Endpoint { Addresses = [podIp], NodeName = node, Conditions = new EndpointConditions { Ready = true } }],
        });
        var svc = (await admin.GetAsync<Service>($"/api/v1/namespaces/{ns}/services/bench"))!;
        var targets = new (string Name, string Url)[]
        {
            ("pod IP", $"http://{podIp}:8080/"),
            ("ClusterIP", $"http://{svc.Spec.ClusterIP}:80/"),
            ("NodePort", $"http://127.0.0.1:{svc.Spec.Ports!.Single(p => p.Name == "node").NodePort}/"),
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var (name, url) in targets)
            await Eventually.WaitAsync(async () => { try { return (await http.GetStringAsync(url)).StartsWith("hello", StringComparison.Ordinal); } catch (HttpRequestException) { return false; } catch (TaskCanceledException) { return false; } },
                TimeSpan.FromSeconds(30), $"{name} {url} answering");

        foreach (var (mode, extra) in new[] { ("keep-alive", Array.Empty<string>()), ("new per request", new[] { "-H", "Connection: close" }) })
            foreach (var (name, url) in targets)
            {
                var (rps, p99) = await WrkAsync(url, threads, connections, duration, extra);
                results.Add((proxyMode, name, mode, rps, p99));
                Console.Error.WriteLine($"{proxyMode} {name} {mode}: {rps:0} requests/s, p99 {p99}");
            }
    }
    finally
    {
        if (nginx is { HasExited: false })
        {
            nginx.Kill();
            await nginx.WaitForExitAsync();
        }
        if (agent is not null) await agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, node);
        Directory.Delete(work, recursive: true);
    }
    return results;
}

// Runs wrk with --latency: its Requests/sec and the 99% latency line.
static async Task<(double Rps, string P99)> WrkAsync(string url, string threads, string connections, string duration, string[] extra)
{
    var psi = new ProcessStartInfo("wrk", ["-t", threads, "-c", connections, "-d", duration, "--latency", .. extra, url]) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var p = Process.Start(psi)!;
    var output = await p.StandardOutput.ReadToEndAsync();
    await p.WaitForExitAsync();
    var rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    var p99 = Regex.Match(output, @"99%\s+(\S+)") is { Success: true } l ? l.Groups[1].Value : "n/a";
    return (rps, p99);
}
