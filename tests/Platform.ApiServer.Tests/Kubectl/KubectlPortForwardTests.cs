using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>kubectl port-forward</c>, unchanged, against the apiserver over TLS and a real node agent (its own process)
/// running busybox httpd in dockerd: kubectl's WebSocket-tunneled SPDY and its plain SPDY fallback, through the
/// apiserver to the agent, which dials the pod's port.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed partial class KubectlPortForwardTests(PostgresFixture pg, KafkaFixture kafka, DockerFixture docker) : IClassFixture<DockerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const string Body = "platform busybox\n"; // DockerFixture's /www/index.html

    [Fact]
    public async Task PortForward_ToAPodAndADeployment_CarriesConcurrentConnections_AndReportsWhatCannotBeForwarded()
    {
        using var kubectl = new KubectlSession();
        // HTTPS for kubectl, plain HTTP on loopback for the agent (as ./platform up serves 6443 and 7070).
        var httpPort = Network.FreeTcpPort();
        await using var host = await ApiServerHost.StartAsync(pg, kafka,
            configure: s => s["ApiServer:Kubelet:ResponseTimeout"] = "00:00:02",
            builderHook: b =>
            {
                kubectl.UseHttps(b);
                b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, httpPort));
            });
        Assert.Equal("https", host.BaseAddress.Scheme);
        var http = new Uri($"http://127.0.0.1:{httpPort}");
        using var admin = new HttpClient { BaseAddress = http, Timeout = Wait };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminToken);
        var ns = "pf-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "--validate=false", "-f", "-");

        var node = ClusterApi.NewName("pf-node");
        await using var agent = await NodeAgentProcess.StartAsync(http, host.TopicPrefix, docker.Endpoint, kafka.BootstrapServers, node, await admin.CreateNodeTokenAsync(node));
        try
        {
            // No scheduler or controllers here: the pod is bound by hand, the Deployment only lends kubectl its selector.
            await kubectl.OkAsync(Manifests(node), "apply", "--validate=false", "-f", "-");
            await Eventually.WaitAsync(async () => (await admin.GetPodAsync(ns, "web-0"))?.Status?.Phase == "Running", Wait, "web-0 running");

            var agentPort = (await admin.GetAsync<Node>($"/api/v1/nodes/{node}"))!.Status!.DaemonEndpoints!.KubeletEndpoint!.Port;

            // kubectl's default: SPDY tunneled in a WebSocket. One session carries two connections at once.
            await using (var forward = await PortForwardAsync(kubectl, new Dictionary<string, string>(), "pod/web-0", 8080))
            {
                Assert.Equal(Body, await GetAsync(forward.LocalPort));
                using var first = await ConnectAsync(forward.LocalPort);
                using var second = await ConnectAsync(forward.LocalPort);
                await SendRequestAsync(first);
                await SendRequestAsync(second);
                // The second is answered while the first is still open, then the first.
                Assert.EndsWith("\r\n\r\n" + Body, await ReadToEndAsync(second));
                Assert.EndsWith("\r\n\r\n" + Body, await ReadToEndAsync(first));
                Assert.Equal(Body, await GetAsync(forward.LocalPort));
                // One session for all of it: one relay on the apiserver, one session on the agent.
                Assert.Equal(1, await InProgressAsync(new Uri(http, "/metrics"), "/portforward\""));
                Assert.Equal(1, await InProgressAsync(new Uri($"http://127.0.0.1:{agentPort}/metrics"), "/portForward/"));
            }
            // kubectl is gone (killed): the apiserver's relay and the agent's session end with it.
            await Eventually.WaitAsync(async () => await InProgressAsync(new Uri(http, "/metrics"), "/portforward\"") == 0, Wait, "the apiserver's relay ended");
            await Eventually.WaitAsync(async () => await InProgressAsync(new Uri($"http://127.0.0.1:{agentPort}/metrics"), "/portForward/") == 0, Wait, "the agent's session ended");

            // The SPDY upgrade kubectl falls back to (and older kubectl speaks), to a Deployment's pod.
            await using (var forward = await PortForwardAsync(kubectl, new Dictionary<string, string> { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "false" }, "deploy/web", 8080))
                Assert.Equal(Body, await GetAsync(forward.LocalPort));

            // Kubernetes' plain WebSocket protocol (no SPDY), as other clients use it: a channel pair per port.
            var token = host.AdminToken;
            var (messages, close) = await ChannelForwardAsync(http, token, $"/api/v1/namespaces/{ns}/pods/web-0/portforward?ports=8080,9999",
                "GET /index.html HTTP/1.0\r\n\r\n"u8.ToArray());
            Assert.Equal([(0, "\x90\x1f"), (1, "\x90\x1f"), (2, "\x0f\x27"), (3, "\x0f\x27")], messages.Take(4).Select(m => (m.Channel, m.Text[..2])));
            Assert.Equal("error forwarding port 9999 to pod web-0, uid " + (await admin.GetPodAsync(ns, "web-0"))!.Metadata.Uid + ": port 9999 is not a containerPort of pod web-0 (declared: 8080)",
                string.Concat(messages.Skip(4).Where(m => m.Channel == 3).Select(m => m.Text)));
            Assert.EndsWith("\r\n\r\n" + Body, string.Concat(messages.Skip(4).Where(m => m.Channel == 0).Select(m => m.Text)));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, close); // every port done: closed politely, through the relay
            var (noPorts, noPortsBody) = await RawUpgradeAsync(http, $"/api/v1/namespaces/{ns}/pods/web-0/portforward", token, "v4.channel.k8s.io");
            Assert.Equal(400, noPorts);
            Assert.Contains("v4.channel.k8s.io forwards the ports named in ?ports=", noPortsBody);

            // A port the pod does not declare: the agent's reason arrives on the error stream, kubectl prints it and stops.
            await using (var forward = await PortForwardAsync(kubectl, new Dictionary<string, string>(), "pod/web-0", 9999))
            {
                using var refused = await ConnectAsync(forward.LocalPort);
                await SendRequestAsync(refused);
                var output = await forward.UntilExitAsync();
                Assert.Contains("error forwarding port 9999 to pod web-0", output);
                Assert.Contains("port 9999 is not a containerPort of pod web-0 (declared: 8080)", output);
                Assert.Contains("lost connection to pod", output);
            }

            // The agent dies under a running forward: kubectl is told at once (the relay closes its side), no hang.
            await using (var forward = await PortForwardAsync(kubectl, new Dictionary<string, string>(), "pod/web-0", 8080))
            {
                Assert.Equal(Body, await GetAsync(forward.LocalPort));
                await agent.KillAsync();
                Assert.Contains("lost connection to pod", await forward.UntilExitAsync());
            }

            await UnreachableAgentsAreBadGatewayAsync(admin, http, ns);

            // A viewer may read the pod but not forward to it: kubectl shows the apiserver's 403.
            var viewer = (string)(await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
                new JsonObject { ["name"] = ClusterApi.NewName("viewer"), ["role"] = "viewer", ["namespace"] = ns }))["token"]!;
            kubectl.WriteKubeconfig(host.BaseAddress, viewer, ns);
            var denied = await kubectl.RunAsync(null, "port-forward", "pod/web-0", ":8080");
            Assert.Equal(1, denied.ExitCode);
            Assert.Contains("cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"" + ns + "\"", denied.Stderr);
        }
        finally
        {
            await NodeAgentHost.RemoveContainersAsync(docker.Client, node);
        }
    }

    /// <summary>A node whose agent is down (closed port) or hung (never answers): a Status 502 before any upgrade.</summary>
    private static async Task UnreachableAgentsAreBadGatewayAsync(HttpClient admin, Uri http, string ns)
    {
        var closed = Network.FreeTcpPort();
        using var hung = new TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        foreach (var (port, expected) in new[] { (closed, $"at 127.0.0.1:{closed} is unreachable"), (((IPEndPoint)hung.LocalEndpoint).Port, "did not answer within 2 s") })
        {
            var node = ClusterApi.NewName("dead");
            await admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = node } });
            var status = new NodeStatus
            {
                Addresses = [new NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }],
                DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = port } },
            };
            await ClusterApi.SendAsync(admin, HttpMethod.Patch, $"/api/v1/nodes/{node}/status",
                new JsonObject { ["status"] = System.Text.Json.JsonSerializer.SerializeToNode(status, ResourceJson.Options) });
            await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", ClusterApi.HttpdPod(node, node));
            var started = DateTime.UtcNow;
            var (code, body) = await RawUpgradeAsync(http, $"/api/v1/namespaces/{ns}/pods/{node}/portforward", admin.DefaultRequestHeaders.Authorization!.Parameter!);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the 502 took " + (DateTime.UtcNow - started));
            Assert.Equal(502, code);
            var parsed = JsonNode.Parse(body)!;
            Assert.Equal(("Status", "BadGateway"), ((string?)parsed["kind"], (string?)parsed["reason"]));
            Assert.Contains(expected, (string?)parsed["message"]);
        }
    }

    /// <summary>
    /// A <c>v4.channel.k8s.io</c> session: sends <paramref name="request"/> on channel 0 once the ports are announced,
    /// then collects every message (channel byte, payload as Latin-1) until the server closes.
    /// </summary>
    private static async Task<(List<(int Channel, string Text)> Messages, WebSocketCloseStatus? Close)> ChannelForwardAsync(Uri http, string token, string path, byte[] request)
    {
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("v4.channel.k8s.io");
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        using var timeout = new CancellationTokenSource(Wait);
        await ws.ConnectAsync(new Uri($"ws://{http.Authority}{path}"), timeout.Token);
        Assert.Equal("v4.channel.k8s.io", ws.SubProtocol);
        var messages = new List<(int, string)>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close) return (messages, r.CloseStatus);
            message.Write(buffer, 0, r.Count);
            if (!r.EndOfMessage) continue;
            var bytes = message.ToArray();
            message.SetLength(0);
            messages.Add((bytes[0], Encoding.Latin1.GetString(bytes, 1, bytes.Length - 1)));
            if (messages.Count == 4) await ws.SendAsync((byte[])[0, .. request], WebSocketMessageType.Binary, true, timeout.Token);
        }
    }

    /// <summary>Requests in progress on a route, from a host's Prometheus metrics.</summary>
    private static async Task<double> InProgressAsync(Uri metrics, string route)
    {
        using var http = new HttpClient();
        return (await http.GetStringAsync(metrics)).Split('\n')
            .Where(l => l.StartsWith("http_requests_in_progress{", StringComparison.Ordinal) && l.Contains(route, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A WebSocket upgrade as kubectl sends it, over a bare socket, so the refused answer's body can be read.</summary>
    private static async Task<(int Status, string Body)> RawUpgradeAsync(Uri server, string path, string token, string protocol = "SPDY/3.1+portforward.k8s.io")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
                      $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\n" +
                      $"Sec-WebSocket-Protocol: {protocol}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(Wait);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end > 0 && ContentLength().Match(all) is { Success: true } m && all.Length - end - 4 >= int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                return (int.Parse(all[9..12], System.Globalization.CultureInfo.InvariantCulture), all[(end + 4)..]);
        }
        var rest = text.ToString();
        return (int.Parse(rest[9..12], System.Globalization.CultureInfo.InvariantCulture), rest[(rest.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    [GeneratedRegex(@"(?im)^content-length:\s*(\d+)")]
    private static partial Regex ContentLength();

    private static string Manifests(string node) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-0
          labels: {app: web}
        spec:
          nodeName: {{node}}
          terminationGracePeriodSeconds: 1
          containers:
          - name: httpd
            image: {{DockerFixture.BusyboxImage}}
            command: ["httpd", "-f", "-h", "/www", "-p", "$(PORT)"]
            ports:
            - {name: http, containerPort: 8080}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 0
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: httpd
                image: {{DockerFixture.BusyboxImage}}
                ports:
                - {name: http, containerPort: 8080}
        """;

    private static async Task<KubectlPortForward> PortForwardAsync(KubectlSession kubectl, Dictionary<string, string> env, string target, int remote)
    {
        var (process, lines) = kubectl.Start(env, "port-forward", target, $":{remote}");
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await foreach (var line in lines.ReadAllAsync(timeout.Token))
            {
                seen.Add(line);
                if (Regex.Match(line, $@"^Forwarding from 127\.0\.0\.1:(\d+) -> {remote}$") is { Success: true } m)
                    return new KubectlPortForward(process, lines, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), seen);
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill();
        process.Dispose();
        Assert.Fail($"kubectl port-forward {target} did not start forwarding: {string.Join(" | ", seen)}");
        return null!;
    }

    private static async Task<string> GetAsync(int localPort)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        return await client.GetStringAsync($"http://127.0.0.1:{localPort}/index.html");
    }

    private static async Task<TcpClient> ConnectAsync(int localPort)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, localPort);
        return tcp;
    }

    private static Task SendRequestAsync(TcpClient tcp) =>
        tcp.GetStream().WriteAsync("GET /index.html HTTP/1.0\r\nHost: pod\r\n\r\n"u8.ToArray()).AsTask();

    private static async Task<string> ReadToEndAsync(TcpClient tcp)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
