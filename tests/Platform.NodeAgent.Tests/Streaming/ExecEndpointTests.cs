using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Cli;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Logs;
using Platform.RemoteCommand;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Streaming;

/// <summary>
/// The agent's <c>/exec</c> and <c>/attach</c> WebSockets against busybox containers in dockerd, called directly with an
/// admin token and through the apiserver's <c>pods/exec</c> relay, with the protocol client platformctl uses.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExecEndpointTests(ClusterFixture cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;
    private string _ns = "";
    private Uri _agentAddress = null!;

    public async Task InitializeAsync()
    {
        _ns = await _admin.CreateNamespaceAsync();
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
        var node = await Eventually.WaitAsync(async () => await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}") is { Status.DaemonEndpoints.KubeletEndpoint.Port: > 0 } n ? n : null,
            Wait, "the agent's port in the node status");
        _agentAddress = new Uri($"ws://127.0.0.1:{node.Status!.DaemonEndpoints!.KubeletEndpoint!.Port}");
    }

    private async Task<Pod> RunPodAsync(string name, string script)
    {
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod(name, _node, script));
        return await Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, name) is { Status.ContainerStatuses: [{ State.Running: not null }] } p ? p : null,
            Wait, $"{name} running", TimeSpan.FromMilliseconds(200));
    }

    private static string Query(string[] command, string streams) =>
        "?" + string.Join('&', command.Select(c => "command=" + Uri.EscapeDataString(c)).Append(streams));

    private Task<RemoteCommandClient> AgentExecAsync(string pod, string[] command, string streams, CancellationToken ct) =>
        RemoteCommandClient.ConnectAsync(new Uri(_agentAddress, $"/exec/{_ns}/{pod}/main" + Query(command, streams)),
            o => o.SetRequestHeader("Authorization", "Bearer " + cluster.ApiServer.AdminToken), ct);

    private Task<RemoteCommandClient> ApiServerExecAsync(string pod, string[] command, string streams, CancellationToken ct) =>
        RemoteCommandClient.ConnectAsync(new Uri($"ws://{cluster.ApiServer.BaseAddress.Authority}/api/v1/namespaces/{_ns}/pods/{pod}/exec" + Query(command, streams)),
            o => o.SetRequestHeader("Authorization", "Bearer " + cluster.ApiServer.AdminToken), ct);

    private static async Task<(string Out, string Err, int? Exit, string? Message)> OutputAsync(RemoteCommandClient exec, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var (exit, message) = await exec.ReadOutputAsync(stdout, stderr, ct);
        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), exit, message);
    }

    [Fact]
    public async Task Exec_KeepsStdoutAndStderrApart_AndReportsTheExitCode()
    {
        await RunPodAsync("shell", "exec sleep 3600");
        using var timeout = new CancellationTokenSource(Wait);
        await using var exec = await AgentExecAsync("shell", ["sh", "-c", "echo out; echo err >&2; exit 3"], "stdout=true&stderr=true", timeout.Token);
        Assert.Equal(StreamProtocol.V5, exec.Protocol);
        var (stdout, stderr, exit, message) = await OutputAsync(exec, timeout.Token);
        Assert.Equal(("out\n", "err\n", 3), (stdout, stderr, exit));
        Assert.Contains("exit status 3", message);
    }

    [Fact]
    public async Task Exec_WithStdin_ThePipedInputReachesTheCommand_AndItsEndOfFileEndsIt()
    {
        await RunPodAsync("cat", "exec sleep 3600");
        using var timeout = new CancellationTokenSource(Wait);
        await using var exec = await AgentExecAsync("cat", ["cat"], "stdin=true&stdout=true&stderr=true", timeout.Token);
        await exec.WriteStdinAsync("hello "u8.ToArray(), timeout.Token);
        await exec.WriteStdinAsync("world\n"u8.ToArray(), timeout.Token);
        await exec.CloseStdinAsync(timeout.Token);
        Assert.Equal(("hello world\n", "", 0, null), await OutputAsync(exec, timeout.Token));
    }

    [Fact]
    public async Task ExecTty_ThroughTheApiServer_TakesTheResize_AndMergesStderrIntoTheTerminal()
    {
        await RunPodAsync("term", "exec sleep 3600");
        using var timeout = new CancellationTokenSource(Wait);
        await using var exec = await ApiServerExecAsync("term", ["sh"], "stdin=true&stdout=true&tty=true", timeout.Token);
        await exec.ResizeAsync(new TerminalSize(123, 45), timeout.Token);
        await exec.WriteStdinAsync("busybox stty size; echo oops >&2; exit 7\n"u8.ToArray(), timeout.Token);
        var (stdout, stderr, exit, _) = await OutputAsync(exec, timeout.Token);
        Assert.Equal(7, exit);
        Assert.Equal("", stderr);
        Assert.Contains("45 123\r\n", stdout);   // rows columns, with the terminal's CR LF
        Assert.Contains("oops\r\n", stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exec_WhenTheCallerGoesAway_ItsProcessIsKilled(bool throughApiServer)
    {
        var pod = await RunPodAsync("lingering", "exec sleep 3600");
        using var timeout = new CancellationTokenSource(Wait);
        var exec = throughApiServer
            ? await ApiServerExecAsync("lingering", ["sleep", "301"], "stdout=true", timeout.Token)
            : await AgentExecAsync("lingering", ["sleep", "301"], "stdout=true", timeout.Token);
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        await Eventually.WaitAsync(async () => (await PsAsync(id)).Contains("sleep 301"), Wait, "the exec'd sleep to run");
        await exec.DisposeAsync();   // a close while the command runs: the caller has gone
        await Eventually.WaitAsync(async () => !(await PsAsync(id)).Contains("sleep 301"), Wait, "the exec'd sleep to be killed");
    }

    [Fact]
    public async Task Exec_WhenTheAgentStops_TheCallerThroughTheApiServerHearsWhy_AndTheProcessIsKilled()
    {
        var pod = await RunPodAsync("interrupted", "exec sleep 3600");
        using var timeout = new CancellationTokenSource(Wait);
        await using var exec = await ApiServerExecAsync("interrupted", ["sleep", "303"], "stdout=true", timeout.Token);
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        await Eventually.WaitAsync(async () => (await PsAsync(id)).Contains("sleep 303"), Wait, "the exec'd sleep to run");

        var stopped = _agent!.DisposeAsync().AsTask();
        _agent = null;
        var (exit, message) = await exec.ReadOutputAsync(Stream.Null, Stream.Null, timeout.Token);
        Assert.Null(exit);
        Assert.Equal($"the node agent of node \"{_node}\" is shutting down before the command did; the command was stopped", message);
        await stopped;
        Assert.DoesNotContain("sleep 303", await PsAsync(id));
    }

    [Fact]
    public async Task Attach_StreamsTheContainersOutputFromNowOn()
    {
        await RunPodAsync("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done");
        using var timeout = new CancellationTokenSource(Wait);
        await using var attach = await RemoteCommandClient.ConnectAsync(new Uri(_agentAddress, $"/attach/{_ns}/ticker/main?stdout=true&stderr=true"),
            o => o.SetRequestHeader("Authorization", "Bearer " + cluster.ApiServer.AdminToken), timeout.Token);
        using var seen = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var stdout = new MemoryStream();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attach.ReadOutputAsync(stdout, Stream.Null, seen.Token));
        Assert.Matches(@"^(tick \d+\n)+", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task ExecRequests_ThatCannotStart_GetProblemsBeforeAnyUpgrade()
    {
        await RunPodAsync("target", "exec sleep 3600");
        using var http = new HttpClient();
        var agent = new UriBuilder(_agentAddress) { Scheme = "http" }.Uri;
        async Task ExpectAsync(string path, int status, string detail, string? token = null, ProductHeaderValue? upgrade = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(agent, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? cluster.ApiServer.AdminToken);
            if (upgrade is not null)
            {
                request.Headers.Connection.Add("Upgrade");
                request.Headers.Upgrade.Add(upgrade);
            }
            using var r = await http.SendAsync(request);
            var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync()) as JsonObject ?? [];
            Assert.True(status == (int)r.StatusCode, $"{path}: expected {status}, got {(int)r.StatusCode} {problem}");
            Assert.Contains(detail, (string?)problem["detail"]);
        }

        await ExpectAsync($"/exec/{_ns}/target/main?stdout=true", 400, "command: you must specify at least one command");
        await ExpectAsync($"/exec/{_ns}/target/main?command=ls", 400, "stdin: you must specify at least 1 of stdin, stdout, stderr");
        await ExpectAsync($"/exec/{_ns}/target/main?command=ls&stdout=true", 400, "Upgrade request required");
        await ExpectAsync($"/exec/{_ns}/target/main?command=ls&stdout=true", 400, "SPDY streams are not served", upgrade: new ProductHeaderValue("SPDY", "3.1"));
        await ExpectAsync($"/attach/{_ns}/target/main?stdin=true", 400, "stdin: containers run without an open stdin");
        await ExpectAsync($"/exec/{_ns}/target/main?command=ls&stdout=true", 403, "only the apiserver or an admin",
            token: await LogCluster.CreateTokenAsync(_admin, "editor", _ns));

        using var timeout = new CancellationTokenSource(Wait);
        var missing = await Assert.ThrowsAsync<WebSocketException>(() => AgentExecAsync("nothing", ["ls"], "stdout=true", timeout.Token));
        Assert.Contains("404", missing.Message);
    }

    [Fact]
    public async Task PlatformctlExec_PrintsBothStreams_PassesStdin_AndExitsWithTheCommandsCode()
    {
        await RunPodAsync("ctl", "exec sleep 3600");
        var (exit, stdout, stderr) = await Platformctl.RunAsync(cluster.ApiServer, "exec", "ctl", "-n", _ns, "--", "sh", "-c", "echo out; echo err >&2; exit 4");
        Assert.Equal((4, "out\n"), (exit, stdout));
        Assert.Equal("err\ncommand terminated with exit code 4\n", stderr);

        Assert.Equal((0, "piped ünïcode\n", ""), await Platformctl.RunWithInputAsync(cluster.ApiServer, "piped ünïcode\n", "exec", "-i", "pod/ctl", "-n", _ns, "--", "cat"));

        var missing = await Platformctl.RunAsync(cluster.ApiServer, "exec", "nothing", "-n", _ns, "--", "true");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("pods \"nothing\" not found", missing.Err);
    }

    [Fact]
    public async Task ExecThroughTheApiServer_ToACompletedPodOrADeadAgent_IsAStatusBeforeTheUpgrade()
    {
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod("done", _node, "true", restartPolicy: "Never"));
        await Eventually.WaitAsync(async () => (await _admin.GetPodAsync(_ns, "done"))?.Status?.Phase == "Succeeded", Wait, "pod done Succeeded");
        var closedPort = Platform.Testing.Network.FreeTcpPort();
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod("orphan", await LogCluster.CreateNodeAsync(_admin, Endpoint(closedPort)), "true"));
        // A listener that never accepts: the request is sent and no answer ever comes.
        using var hung = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod("stuck", await LogCluster.CreateNodeAsync(_admin, Endpoint(((IPEndPoint)hung.LocalEndpoint).Port)), "true"));

        await ExpectStatusAsync("done", 400, "BadRequest", "cannot exec into a container in a completed pod; current phase is Succeeded");
        await ExpectStatusAsync("orphan", 502, "BadGateway", $"at 127.0.0.1:{closedPort} is unreachable");
        await ExpectStatusAsync("stuck", 502, "BadGateway", "did not answer within 2 s");
    }

    private static NodeDaemonEndpoints Endpoint(int port) => new() { KubeletEndpoint = new DaemonEndpoint { Port = port } };

    /// <summary>A WebSocket upgrade of <c>pods/{pod}/exec</c> on the apiserver, as kubectl dials it, refused with a v1 Status.</summary>
    private async Task ExpectStatusAsync(string pod, int code, string reason, string message)
    {
        using var http = new HttpClient { BaseAddress = cluster.ApiServer.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/{pod}/exec?command=true&stdout=true");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.ApiServer.AdminToken);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        request.Headers.Add("Sec-WebSocket-Protocol", StreamProtocol.V5);
        using var r = await http.SendAsync(request);
        var status = JsonNode.Parse(await r.Content.ReadAsStringAsync()) as JsonObject ?? [];
        Assert.True(code == (int)r.StatusCode, $"{pod}: expected {code}, got {(int)r.StatusCode} {status}");
        Assert.Equal(("Status", "Failure", reason, code), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        Assert.Contains(message, (string?)status["message"]);
    }

    private async Task<string> PsAsync(string containerId)
    {
        var exec = await cluster.Docker.Client.Exec.ExecCreateContainerAsync(containerId,
            new Docker.DotNet.Models.ContainerExecCreateParameters { Cmd = ["ps", "-o", "args"], AttachStdout = true });
        using var stream = await cluster.Docker.Client.Exec.StartAndAttachContainerExecAsync(exec.ID, false);
        return (await stream.ReadOutputToEndAsync(CancellationToken.None)).stdout;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        _admin.Dispose();
    }
}
