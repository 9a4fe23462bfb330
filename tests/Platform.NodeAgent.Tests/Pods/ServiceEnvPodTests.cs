using Platform.Testing;
using Platform.ApiServer.Client.Informers;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>Seed 000: a container started after a Service exists finds it in its environment, as kubelet gives it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceEnvPodTests(ClusterFixture cluster) : IAsyncLifetime
{
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task AContainer_SeesTheServicesOfItsNamespace_AndMayReferToThem_UnlessLinksAreOff()
    {
        var agent = await _scope.StartAgentAsync();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/services", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"db-service"},
             "spec":{"clusterIP":"10.96.5.5","selector":{"app":"db"},"ports":[{"name":"mysql","port":3306}]}}
            """));
        // Variables come from the Services the agent knows when a container starts (kubelet's cache): wait until its
        // informer has the Service, as a pod created later than its Service would find it.
        var services = agent.Services.GetRequiredService<SharedInformerFactory>().For<Service>(ResourceKinds.Service);
        await Eventually.WaitAsync(() => services.Get(_scope.Namespace, "db-service") is not null, TimeSpan.FromSeconds(30), "the agent's informer has db-service");
        var linked = """[ "$DB_SERVICE_SERVICE_HOST" = 10.96.5.5 ] && [ "$DB_SERVICE_SERVICE_PORT_MYSQL" = 3306 ] && [ "$DB_SERVICE_PORT_3306_TCP" = tcp://10.96.5.5:3306 ] && [ "$DB_URL" = http://10.96.5.5:3306 ]""";
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ProbedPod("linked", linked, links: null));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ProbedPod("unlinked",
            // Links off: no variables of the namespace's Services, but the master service's (the apiserver's kubernetes Service).
            """[ -z "$DB_SERVICE_SERVICE_HOST" ] && [ "$KUBERNETES_SERVICE_HOST" = 10.96.0.1 ] && [ "$KUBERNETES_SERVICE_PORT_HTTPS" = 443 ]""", links: false));

        await _scope.WaitPodAsync("linked", p => p.IsReady(), "exec readiness probe sees the service variables");
        await _scope.WaitPodAsync("unlinked", p => p.IsReady(), "exec readiness probe sees no service variables");
    }

    private Pod ProbedPod(string name, string check, bool? links) => ClusterApi.HttpdPod(name, _scope.Node) with
    {
        Spec = new PodSpec
        {
            NodeName = _scope.Node,
            EnableServiceLinks = links,
            Containers =
            [
                ClusterApi.HttpdContainer() with
                {
                    Env = [new EnvVar { Name = "DB_URL", Value = "http://$(DB_SERVICE_SERVICE_HOST):$(DB_SERVICE_SERVICE_PORT)" }],
                    ReadinessProbe = new Probe { Exec = new ExecAction { Command = ["sh", "-c", check] }, PeriodSeconds = 1 },
                },
            ],
        },
    };
}
