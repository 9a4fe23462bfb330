using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>Seed 000's service environment variables, named and ordered as kubelet makes them.</summary>
public sealed class ServiceEnvTests
{
    private static Service Svc(string ns, string name, string? clusterIP, params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name },
        Spec = new ServiceSpec { ClusterIP = clusterIP, Ports = [.. ports] },
    };

    [Fact]
    public void AService_GivesHostPortAndDockerLinkVariables()
    {
        var db = Svc("dev", "db-service", "10.96.0.20",
            new ServicePort { Name = "mysql", Port = 3306 }, new ServicePort { Name = "metrics", Port = 9104, Protocol = "UDP" });
        var env = ServiceEnv.For([db]).ToList();
        Assert.Equal(
        [
            "DB_SERVICE_SERVICE_HOST=10.96.0.20",
            "DB_SERVICE_SERVICE_PORT=3306",
            "DB_SERVICE_SERVICE_PORT_MYSQL=3306",
            "DB_SERVICE_SERVICE_PORT_METRICS=9104",
            "DB_SERVICE_PORT=tcp://10.96.0.20:3306",
            "DB_SERVICE_PORT_3306_TCP=tcp://10.96.0.20:3306",
            "DB_SERVICE_PORT_3306_TCP_PROTO=tcp",
            "DB_SERVICE_PORT_3306_TCP_PORT=3306",
            "DB_SERVICE_PORT_3306_TCP_ADDR=10.96.0.20",
            "DB_SERVICE_PORT_9104_UDP=udp://10.96.0.20:9104",
            "DB_SERVICE_PORT_9104_UDP_PROTO=udp",
            "DB_SERVICE_PORT_9104_UDP_PORT=9104",
            "DB_SERVICE_PORT_9104_UDP_ADDR=10.96.0.20",
        ], env.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void HeadlessAndUnallocatedServices_GiveNothing()
    {
        Assert.Empty(ServiceEnv.For([Svc("dev", "web", "None", new ServicePort { Port = 80 }), Svc("dev", "new", null, new ServicePort { Port = 80 })]));
    }

    [Fact]
    public void APodSeesItsNamespace_AndTheMasterServiceOfDefault_EvenWithoutLinks()
    {
        var all = new[]
        {
            Svc("default", "kubernetes", "10.96.0.1", new ServicePort { Name = "https", Port = 443 }),
            Svc("default", "other", "10.96.0.2", new ServicePort { Port = 80 }),
            Svc("dev", "db-service", "10.96.0.20", new ServicePort { Port = 3306 }),
            Svc("prod", "db-service", "10.96.0.30", new ServicePort { Port = 3306 }),
        };
        Assert.Equal(["db-service/dev", "kubernetes/default"], ServiceEnv.Visible(all, "dev", true).Select(s => $"{s.Metadata.Name}/{s.Metadata.Namespace}"));
        Assert.Equal(["kubernetes/default"], ServiceEnv.Visible(all, "dev", false).Select(s => $"{s.Metadata.Name}/{s.Metadata.Namespace}"));
        var shadow = all.Append(Svc("dev", "kubernetes", "10.96.0.99", new ServicePort { Port = 443 }));
        Assert.Equal("10.96.0.99", ServiceEnv.Visible(shadow, "dev", true).Single(s => s.Metadata.Name == "kubernetes").Spec.ClusterIP);
    }
}
