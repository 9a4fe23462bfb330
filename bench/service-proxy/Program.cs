using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

// The same wrk load straight to a pod IP, through the Service's ClusterIP and through its NodePort (the node agent's
// userspace Service proxy), with keep-alive and with a new connection per request. The backend is nginx started in
// the pod's network namespace (busybox httpd forks per connection and would be the bottleneck), so the pod IP is its
// real address; the bench writes the Service's EndpointSlice itself, as the EndpointSlice controller would.
var duration = args.Length > 0 ? args[0] : "8s";
var connections = args.Length > 1 ? args[1] : "32";
var threads = args.Length > 2 ? args[2] : "2";
var work = Directory.CreateTempSubdirectory("service-proxy-bench.").FullName;
var cluster = new ClusterFixture();
await cluster.InitializeAsync();
var node = "bench-" + Guid.NewGuid().ToString("N")[..6];
NodeAgentHost? agent = null;
Process? nginx = null;
try
{
    using var admin = cluster.ApiServer.Client();
    var ns = await admin.CreateNamespaceAsync();
    agent = await NodeAgentHost.StartAsync(cluster, node, await admin.CreateNodeTokenAsync(node), s =>
    {
        s["NodeAgent:PodNetwork:Enabled"] = "true";
        s["NodeAgent:Proxy:Enabled"] = "true";
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
            location / { default_type text/plain; return 200 "hello from the pod\n"; }
          }
        }
        """);
    nginx = Process.Start(new ProcessStartInfo("nsenter", ["-t", pid.ToString(CultureInfo.InvariantCulture), "-n", "nginx", "-p", work, "-c", Path.Combine(work, "nginx.conf")])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;

    await admin.CreateAsync($"/api/v1/namespaces/{ns}/services", new Service
    {
        ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "bench" },
        Spec = new ServiceSpec { Type = "NodePort", Ports = [new ServicePort { Port = 80, TargetPort = 8080 }] },
    });
    await admin.CreateAsync($"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", new EndpointSlice
    {
        ApiVersion = "discovery.k8s.io/v1", Kind = "EndpointSlice", AddressType = "IPv4",
        Metadata = new ObjectMeta { Name = "bench-1", Labels = new() { ["kubernetes.io/service-name"] = "bench" } },
        Ports = [new EndpointPort { Name = "", Protocol = "TCP", Port = 8080 }],
        Endpoints = [new Endpoint { Addresses = [podIp], NodeName = node, Conditions = new EndpointConditions { Ready = true } }],
    });
    var svc = (await admin.GetAsync<Service>($"/api/v1/namespaces/{ns}/services/bench"))!;
    var targets = new (string Name, string Url)[]
    {
        ("pod IP", $"http://{podIp}:8080/"),
        ("ClusterIP", $"http://{svc.Spec.ClusterIP}:80/"),
        ("NodePort", $"http://127.0.0.1:{svc.Spec.Ports![0].NodePort}/"),
    };
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    foreach (var (name, url) in targets)
        await Eventually.WaitAsync(async () => { try { return (await http.GetStringAsync(url)).StartsWith("hello", StringComparison.Ordinal); } catch (HttpRequestException) { return false; } catch (TaskCanceledException) { return false; } },
            TimeSpan.FromSeconds(30), $"{name} {url} answering");

    Console.WriteLine($"service proxy (userspace): wrk {threads} threads, {connections} connections, {duration} per run; one nginx backend in the pod's network namespace");
    Console.WriteLine($"{"target",-12} {"connections",-16} {"requests/s",12} {"p99",10}");
    foreach (var (mode, extra) in new[] { ("keep-alive", Array.Empty<string>()), ("new per request", new[] { "-H", "Connection: close" }) })
        foreach (var (name, url) in targets)
        {
            var (rps, p99) = await WrkAsync(url, threads, connections, duration, extra);
            Console.WriteLine($"{name,-12} {mode,-16} {rps,12:0} {p99,10}");
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
    await cluster.DisposeAsync();
    Directory.Delete(work, recursive: true);
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
