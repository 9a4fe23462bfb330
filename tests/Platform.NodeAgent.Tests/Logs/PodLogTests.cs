using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ContainerExecCreateParameters = Docker.DotNet.Models.ContainerExecCreateParameters;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Cli;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Logs;

/// <summary>
/// <c>platformctl logs</c> and <c>GET .../pods/{name}/log</c> against the real apiserver process and a real node agent
/// running busybox containers in dockerd: the apiserver authorizes, then streams the agent's Docker log through.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodLogTests(ClusterFixture cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;
    private string _ns = "";

    private string Pods => $"/api/v1/namespaces/{_ns}/pods";

    public async Task InitializeAsync() => _ns = await _admin.CreateNamespaceAsync();

    private async Task StartAgentAsync() => _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));

    private Task<Pod> WaitPodAsync(string name, Func<Pod, bool> condition, string what) =>
        Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, name) is { } p && condition(p) ? p : null, Wait, what, TimeSpan.FromMilliseconds(200));

    private static bool Running(Pod p) => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running is not null;

    private async Task<(int Exit, string Out, string Err)> CtlAsync(string token, params string[] args)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var (output, exit, error) = Platformctl.Start(cluster.ApiServer, token, timeout.Token, args);
        var code = await exit;
        return (code, output(), error());
    }

    [Fact]
    public async Task Logs_ReachTheCallerThroughTheApiServer_WithTailAndTimestamps()
    {
        await StartAgentAsync();
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("printer", _node, "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exec sleep 3600"));
        await WaitPodAsync("printer", Running, "printer running");
        // kubectl's view role reads logs: a viewer of the namespace is enough.
        var viewer = await LogCluster.CreateTokenAsync(_admin, "viewer", _ns);
        var last = (Exit: -1, Out: "", Err: "");
        await Eventually.WaitAsync(async () => (last = await CtlAsync(viewer, "logs", "printer", "-n", _ns)).Out.Count(c => c == '\n') >= 6, Wait, "six lines");
        Assert.Equal(0, last.Exit);
        var lines = last.Out.TrimEnd('\n').Split('\n');
        // Docker copies stdout and stderr separately, so only each stream's own order is certain.
        Assert.Equal(["line 1", "line 2", "line 3", "line 4", "line 5"], lines.Where(l => l != "oops"));
        Assert.Single(lines, "oops");

        Assert.Equal((0, string.Join('\n', lines[^2..]) + "\n", ""), await CtlAsync(viewer, "logs", "pod/printer", "--tail", "2", "-n", _ns));

        using var r = await _admin.GetAsync($"{Pods}/printer/log?timestamps=true&tailLines=1");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z " + lines[^1] + "\n$", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LogsFollow_PrintsALineWrittenAfterTheCallStarted_ThenEndsWhenTheContainerExits()
    {
        await StartAgentAsync();
        // The second line waits for a file the test creates once the follow is under way.
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("talker", _node, "echo first; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second", restartPolicy: "Never"));
        var pod = await WaitPodAsync("talker", Running, "talker running");
        using var timeout = new CancellationTokenSource(Wait);
        var (output, exit, error) = Platformctl.Start(cluster.ApiServer, cluster.ApiServer.AdminToken, timeout.Token, "logs", "-f", "talker", "-n", _ns);

        await Eventually.WaitAsync(() => output() == "first\n", Wait, "the first line, flushed while the container still runs");
        Assert.False(exit.IsCompleted, "the follow ended while the container was running: " + error());
        // For sinceSeconds below, the first line must lie more than 3 s in the past before the second is printed.
        var stamped = await _admin.GetStringAsync($"{Pods}/talker/log?timestamps=true");
        var printed = DateTimeOffset.Parse(stamped[..stamped.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.WaitAsync(() => DateTimeOffset.UtcNow - printed > TimeSpan.FromSeconds(3), Wait, "the first line to be 3 s old");
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        var exec = await cluster.Docker.Client.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters { Cmd = ["sh", "-c", "echo > /tmp/go"] });
        using (var stream = await cluster.Docker.Client.Exec.StartAndAttachContainerExecAsync(exec.ID, false))
            await stream.ReadOutputToEndAsync(CancellationToken.None);

        Assert.Equal(0, await exit.WaitAsync(Wait));
        Assert.Equal("first\nsecond\n", output());
        Assert.Equal((0, "second\n", ""), await CtlAsync(cluster.ApiServer.AdminToken, "logs", "talker", "--since", "2s", "-n", _ns));
    }

    [Fact]
    public async Task LogsFollow_WhenTheClientLeaves_EndsOnTheApiServerAndOnTheAgent()
    {
        await StartAgentAsync();
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("sleeper", _node, "echo up; exec sleep 3600"));
        await WaitPodAsync("sleeper", Running, "sleeper running");
        var node = await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}");
        var agentMetrics = $"http://127.0.0.1:{node!.Status!.DaemonEndpoints!.KubeletEndpoint!.Port}/metrics";
        using var http = new HttpClient();
        async Task<double> InProgressAsync(string metricsUrl, string route) =>
            (await http.GetStringAsync(metricsUrl)).Split('\n')
                .Where(l => l.StartsWith("http_requests_in_progress{", StringComparison.Ordinal) && l.Contains(route, StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

        using var ctrlC = new CancellationTokenSource();
        var (output, exit, _) = Platformctl.Start(cluster.ApiServer, cluster.ApiServer.AdminToken, ctrlC.Token, "logs", "-f", "sleeper", "-n", _ns);
        await Eventually.WaitAsync(() => output() == "up\n", Wait, "the followed line");
        Assert.Equal(1, await InProgressAsync(agentMetrics, "/containerLogs/"));
        Assert.Equal(1, await InProgressAsync(new Uri(cluster.ApiServer.BaseAddress, "/metrics").ToString(), "/log\""));

        await ctrlC.CancelAsync();
        Assert.Equal(130, await exit.WaitAsync(Wait));
        // The apiserver drops its call to the agent, and the agent stops reading Docker's stream.
        await Eventually.WaitAsync(async () => await InProgressAsync(new Uri(cluster.ApiServer.BaseAddress, "/metrics").ToString(), "/log\"") == 0, Wait, "the apiserver's request ended");
        await Eventually.WaitAsync(async () => await InProgressAsync(agentMetrics, "/containerLogs/") == 0, Wait, "the agent's request ended");
    }

    [Fact]
    public async Task LogsPrevious_AfterARestart_ShowTheExitedContainersOutput()
    {
        await StartAgentAsync();
        // Counts its runs in an emptyDir: the first run fails, the second stays up.
        var script = "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run $n; if [ $n -ge 2 ]; then exec sleep 3600; fi; exit 1";
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("flaky", _node, script, volumes: [new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() }],
            mounts: [new VolumeMount { Name = "data", MountPath = "/data" }]));
        await WaitPodAsync("flaky", p => Running(p) && p.Status!.ContainerStatuses![0].RestartCount == 1, "flaky restarted once and running");

        var current = await Eventually.WaitAsync(async () => await _admin.GetStringAsync($"{Pods}/flaky/log") is { Length: > 0 } s ? s : null, Wait, "the running container's output");
        Assert.Equal("run 2\n", current);
        Assert.Equal((0, "run 1\n", ""), await CtlAsync(cluster.ApiServer.AdminToken, "logs", "flaky", "--previous", "-n", _ns));
    }

    [Fact]
    public async Task Logs_OfACompletedInitContainer_AreReadByItsName()
    {
        await StartAgentAsync();
        var pod = LogCluster.ShellPod("staged", _node, "echo serving; exec sleep 3600");
        pod = pod with { Spec = pod.Spec with { InitContainers = [pod.Spec.Containers[0] with { Name = "setup", Command = ["sh", "-c", "echo prepared"] }] } };
        await _admin.CreateAsync(Pods, pod);
        await WaitPodAsync("staged", Running, "staged running after its init container");

        // One app container: it is the default, as in kubectl; the init container is asked for by name.
        var main = await Eventually.WaitAsync(async () => await CtlAsync(cluster.ApiServer.AdminToken, "logs", "staged", "-n", _ns) is { Out.Length: > 0 } r ? r : default((int, string, string)?),
            Wait, "the app container's line");
        Assert.Equal((0, "serving\n", ""), main);
        Assert.Equal((0, "prepared\n", ""), await CtlAsync(cluster.ApiServer.AdminToken, "logs", "staged", "-c", "setup", "-n", _ns));
    }

    [Fact]
    public async Task AgentLogEndpoint_IsAdvertisedInTheNodeStatus_AndRefusesUnauthenticatedAndViewerCallers()
    {
        await StartAgentAsync();
        var node = await Eventually.WaitAsync(async () => await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}") is { Status.DaemonEndpoints.KubeletEndpoint.Port: > 0 } n ? n : null,
            Wait, "daemonEndpoints.kubeletEndpoint.Port in the node status");
        var address = node.Status!.Addresses!.Single(a => a.Type == "InternalIP").Address;
        var url = $"http://{address}:{node.Status.DaemonEndpoints!.KubeletEndpoint!.Port}/containerLogs/{_ns}/nothing/main";
        using var http = new HttpClient();

        using (var anonymous = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Unauthorized", (string?)(await Problem(anonymous))["reason"]);
        }
        using (var forged = await Send(http, url, "plt_not-a-token"))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using (var viewer = await Send(http, url, await LogCluster.CreateTokenAsync(_admin, "viewer", _ns)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
            Assert.Contains("only the apiserver or an admin", (string?)(await Problem(viewer))["detail"]);
        }
        using (var nodeToken = await Send(http, url, await _admin.CreateNodeTokenAsync(_node)))
            Assert.Equal(HttpStatusCode.Forbidden, nodeToken.StatusCode);
        // An admin passes authentication; the container simply does not exist.
        using (var admin = await Send(http, url, cluster.ApiServer.AdminToken))
            Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
        using (var bad = await Send(http, url + "?tailLines=many", cluster.ApiServer.AdminToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("tailLines: 'many' must be an integer >= 0", (string?)(await Problem(bad))["detail"]);
        }
    }

    [Fact]
    public async Task LogRequests_ThatCannotBeServed_GetProblemDetailsNamingTheCause()
    {
        // No agent: every answer here comes from the apiserver's own checks, or from dialing a closed port.
        var closedPort = Platform.Testing.Network.FreeTcpPort();
        var unreachable = await LogCluster.CreateNodeAsync(_admin, new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = closedPort } });
        var silent = await LogCluster.CreateNodeAsync(_admin, null);
        // A listener that never accepts: the kernel completes the handshake, the request is sent, no answer ever comes.
        using var hung = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        var hungNode = await LogCluster.CreateNodeAsync(_admin, new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = ((IPEndPoint)hung.LocalEndpoint).Port } });
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("pending", null, "true"));
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("lost", unreachable, "true"));
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("mute", silent, "true"));
        await _admin.CreateAsync(Pods, LogCluster.ShellPod("stuck", hungNode, "true"));
        var pair = LogCluster.ShellPod("pair", unreachable, "true");
        await _admin.CreateAsync(Pods, pair with { Spec = pair.Spec with { Containers = [pair.Spec.Containers[0], pair.Spec.Containers[0] with { Name = "sidecar" }] } });

        await ExpectAsync(_admin, "missing/log", 404, null, "pods \"missing\" not found");
        await ExpectAsync(_admin, "pending/log", 400, "spec.nodeName", "pod pending is not scheduled to a node");
        await ExpectAsync(_admin, "pair/log", 400, "container", "a container name must be specified for pod pair, choose one of: [main sidecar]");
        await ExpectAsync(_admin, "pair/log?container=web", 400, "container", "container web is not valid for pod pair");
        await ExpectAsync(_admin, "lost/log?tailLines=-1", 400, "tailLines", "'-1' must be an integer >= 0");
        await ExpectAsync(_admin, "lost/log?tailLines=ten", 400, "tailLines", "'ten' must be an integer >= 0");
        await ExpectAsync(_admin, "lost/log?follow=maybe", 400, "follow", "is not a boolean");
        await ExpectAsync(_admin, "lost/log", 502, null, $"at {"127.0.0.1"}:{closedPort} is unreachable");
        await ExpectAsync(_admin, "pair/log?container=sidecar", 502, null, "is unreachable");
        await ExpectAsync(_admin, "mute/log", 503, null, "does not advertise its agent");
        await ExpectAsync(_admin, "stuck/log?follow=true", 502, null, "did not answer within 2 s");

        var otherNs = await _admin.CreateNamespaceAsync();
        using var outsider = cluster.ApiServer.Client(await LogCluster.CreateTokenAsync(_admin, "viewer", otherNs));
        await ExpectAsync(outsider, "lost/log", 403, null, $"cannot get resource \"pods/log\" in API group \"\" in the namespace \"{_ns}\"");
        using var scheduler = cluster.ApiServer.Client(await _admin.CreateTokenAsync("scheduler"));
        await ExpectAsync(scheduler, "lost/log", 403, null, "scheduler tokens may not use pods/log");
        using var node = cluster.ApiServer.Client(await _admin.CreateNodeTokenAsync(unreachable));
        await ExpectAsync(node, "lost/log", 403, null, "node tokens may not use pods/log");
        var (exit, output, error) = await CtlAsync(cluster.ApiServer.AdminToken, "logs", "pair", "-n", _ns);
        Assert.Equal((1, ""), (exit, output));
        Assert.Equal("error: Error from server (BadRequest): container: a container name must be specified for pod pair, choose one of: [main sidecar]\n", error);
    }

    private async Task ExpectAsync(HttpClient client, string path, int status, string? field, string detail)
    {
        using var r = await client.GetAsync($"{Pods}/{path}");
        var problem = await Problem(r);
        Assert.True(status == (int)r.StatusCode, $"{path}: expected {status}, got {(int)r.StatusCode} {problem}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (string?)problem["detail"]);
        if (field is not null) Assert.Equal(field, (string?)problem["errors"]?[0]?["field"]);
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync()) as JsonObject ?? [];

    private static Task<HttpResponseMessage> Send(HttpClient http, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        return http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        _admin.Dispose();
    }
}
