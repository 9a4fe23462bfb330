using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Logs;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;
using Platform.Testing.Fuzz;
using Xunit.Abstractions;

namespace Platform.NodeAgent.Tests.Fuzz;

/// <summary>
/// The node agent's own HTTP surface (what the apiserver calls: <c>/containerLogs</c>, <c>/exec</c>, <c>/attach</c>,
/// <c>/portForward</c>, plus health and metrics) under malformed requests from an authenticated caller: never a 5xx,
/// never a hang, every 4xx a ProblemDetails, the agent still healthy. Every pod of the namespace has finished, so a
/// <c>follow=true</c> log request ends with the container's output instead of waiting for more.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeAgentFuzzTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;
    private string _ns = "";

    public async Task InitializeAsync() => _ns = await _admin.CreateNamespaceAsync();

    [Fact]
    public async Task MalformedKubeletRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong()
    {
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
        string[] pods = ["done", "printer"];
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod("done", _node, "echo finished", restartPolicy: "Never"));
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", LogCluster.ShellPod("printer", _node, "for i in 1 2 3; do echo line $i; done; echo oops >&2; exit 3", restartPolicy: "Never"));
        foreach (var pod in pods)
        {
            await Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, pod) is { Status.Phase: "Succeeded" or "Failed" }, Wait, $"pod {pod} finished",
                TimeSpan.FromMilliseconds(200));
        }
        var node = await Eventually.WaitAsync(async () => await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}") is { Status.DaemonEndpoints.KubeletEndpoint.Port: > 0 } n ? n : null,
            Wait, "the agent's endpoint in the node status");
        var address = node.Status!.Addresses!.Single(a => a.Type == "InternalIP").Address;
        var baseUrl = new Uri($"http://{address}:{node.Status.DaemonEndpoints!.KubeletEndpoint!.Port}");

        var report = await new FuzzRunner("node-agent", baseUrl)
        {
            DefaultHeaders = [new("Authorization", "Bearer " + cluster.ApiServer.AdminToken)],
            Output = output.WriteLine,
        }.RunAsync(FuzzSettings.For(4246, count: 600), m => Next(m, pods));

        report.AssertClean();
        Assert.Contains(report.Statuses.Keys, k => k == 200);
    }

    private FuzzRequest Next(Mutator m, string[] pods)
    {
        var pod = m.Pick(pods);
        return m.Next(8) switch
        {
            0 or 1 or 2 => new FuzzRequest(m.Method("GET"), m.Path("containerLogs", _ns, pod, "main") + m.Query(
                ("follow", m.Pick("true", "false")), ("tailLines", m.Next(0, 5).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("timestamps", "true"), ("sinceSeconds", "3600"), ("limitBytes", "1024"), ("previous", "false"))) { Label = "logs" },
            3 => FuzzRequest.Get($"/containerLogs/{_ns}/{pod}/main?follow=true&tailLines={m.Next(0, 3)}", "logs-follow"),
            4 => new FuzzRequest(m.Method(m.Pick("GET", "POST")), m.Path(m.Pick("exec", "attach"), _ns, pod, "main")
                + m.Query(("command", "sh"), ("command", "-c"), ("command", "echo hi"), ("stdout", "true"), ("stderr", "true"), ("tty", "false")))
                { Label = "exec" }.WithHeader("Connection", m.HeaderValue("Upgrade")).WithHeader("Upgrade", m.HeaderValue("websocket")),
            5 => new FuzzRequest(m.Method("GET"), m.Path("portForward", _ns, pod) + m.Query(("port", m.Pick("80", "0", "65536", "http")))) { Label = "portforward" }
                .WithHeader("X-Stream-Protocol-Version", m.HeaderValue("portforward.k8s.io")),
            6 => new FuzzRequest(m.Method("GET"), m.Path(m.Pick("healthz", "readyz", "metrics"))) { Label = "health" },
            _ => new FuzzRequest(m.Method("GET"), m.Path("containerLogs", m.Segment(_ns), m.Segment(pod), m.Segment("main")) + m.Query(("tailLines", m.EnormousNumber()))) { Label = "logs-names" },
        };
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        _admin.Dispose();
    }
}
