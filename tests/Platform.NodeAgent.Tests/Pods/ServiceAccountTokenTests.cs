using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.NodeAgent;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;
using Platform.NodeAgent.Tests.Infrastructure;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>The pod's ServiceAccount token, projected as kubelet does: bound to the pod, readable inside it, dead with it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceAccountTokenTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Dir = "/var/run/secrets/kubernetes.io/serviceaccount";
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    private Pod Checker(string name, string script, string? account = null, bool? automount = null) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            NodeName = _scope.Node, RestartPolicy = "Never", TerminationGracePeriodSeconds = 1,
            ServiceAccountName = account, AutomountServiceAccountToken = automount,
            Containers = [new Container { Name = "check", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", script] }],
        },
    };

    [Fact]
    public async Task PodsGetTheirAccountsToken_BoundToThePod_NotWhenOptedOut_NorForAMissingAccount()
    {
        var agent = await _scope.StartAgentAsync();
        var ns = _scope.Namespace;
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new ObjectMeta { Name = "app" } });

        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods",
            Checker("with-token", $"test -s {Dir}/token && [ \"$(cat {Dir}/namespace)\" = {ns} ] && ! touch {Dir}/token", account: "app"));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", Checker("opted-out", $"test ! -e {Dir}/token", account: "app", automount: false));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", Checker("no-account", $"test ! -e {Dir}/token", account: "missing"));

        // Succeeded means the checks passed inside the container: present (and read-only) where asked, absent otherwise.
        foreach (var name in new[] { "with-token", "opted-out", "no-account" })
            await _scope.WaitPodAsync(name, p => p.Status?.Phase is "Succeeded" or "Failed", $"{name} finished");
        foreach (var name in new[] { "with-token", "opted-out", "no-account" })
            Assert.Equal("Succeeded", (await _scope.Admin.GetPodAsync(ns, name))!.Status!.Phase);
        var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{ns}/events");
        Assert.Contains(events, e => e.Reason == "FailedMount" && e.InvolvedObject?.Name == "no-account" && e.Message!.Contains("serviceaccount \"missing\" not found"));

        // The token is the account's, bound to the pod, and dies with it.
        var pod = (await _scope.Admin.GetPodAsync(ns, "with-token"))!;
        var state = agent.Services.GetRequiredService<IOptions<NodeAgentOptions>>().Value.StateDirectory;
        var token = await File.ReadAllTextAsync(Path.Combine(state, "pods", pod.Metadata.Uid!, "serviceaccount", "token"));
        using var asPod = cluster.ApiServer.Client(token);
        var who = await asPod.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201);
        Assert.Equal($"system:serviceaccount:{ns}:app", (string?)who["status"]!["userInfo"]!["username"]);
        Assert.Equal("with-token", (string?)who["status"]!["userInfo"]!["extra"]!["authentication.kubernetes.io/pod-name"]![0]);
        (await _scope.Admin.DeleteAsync($"/api/v1/namespaces/{ns}/pods/with-token")).EnsureSuccessStatusCode();
        await Eventually.WaitAsync(async () => (await asPod.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}"))).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30), "the token is refused once its pod is gone");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
