using System.Net;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;

namespace Platform.NodeAgent.Tests.Network;

/// <summary>
/// The host-gw routes an agent wants (<see cref="NodeRoutes.Desired"/>) and how it reads <c>ip route</c>; the routes
/// themselves are exercised end to end by <c>./platform bench nodes</c> on <c>up --nodes 3</c>, where each node is a
/// network namespace of its own (CI).
/// </summary>
public sealed class NodeRoutesTests
{
    private static readonly IPNetwork[] NodeNetwork = [IPNetwork.Parse("10.250.0.0/24"), IPNetwork.Parse("10.244.1.0/24")];

    private static Node Node(string name, string? cidr, params string[] internalIps) => new()
    {
        ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { PodCIDR = cidr },
        Status = new NodeStatus { Addresses = [.. internalIps.Select(ip => new NodeAddress { Type = "InternalIP", Address = ip }), new NodeAddress { Type = "Hostname", Address = name }] },
    };

    [Fact]
    public void EveryOtherNodesPodCidr_GoesViaItsAddress_OnlyWhenThatAddressIsOnAnAttachedNetwork()
    {
        var routes = NodeRoutes.Desired([
            Node("node-2", "10.244.1.0/24", "10.250.0.2"),           // this node: no route to itself
            Node("node-3", "10.244.2.0/24", "10.250.0.3"),
            Node("node-4", "10.244.3.0/24", "192.168.7.4"),          // behind a router: not host-gw's to reach
            Node("local", "10.244.0.0/24", "127.0.0.1"),             // loopback: reached by the default route
            Node("shared", "10.244.4.0/24", "127.0.1.5"),
            Node("later", null, "10.250.0.6"),                       // no podCIDR yet
            Node("two", "10.244.5.0/24", "192.168.9.9", "10.250.0.7"), // the first InternalIP on an attached network
        ], "node-2", NodeNetwork);

        Assert.Equal(new Dictionary<string, string> { ["10.244.2.0/24"] = "10.250.0.3", ["10.244.5.0/24"] = "10.250.0.7" }, routes);
    }

    [Fact]
    public void APodCidrAttachedHere_GetsNoRoute_AsNodesSharingOneNamespaceHaveTheirBridgesConnected()
    {
        var routes = NodeRoutes.Desired([Node("node-3", "10.244.1.0/24", "10.250.0.3"), Node("node-5", "not a cidr", "10.250.0.5")], "node-2", NodeNetwork);

        Assert.Empty(routes);
    }

    [Fact]
    public void ParseRoutes_ReadsTheDestinationAndTheWordAfterTheKey()
    {
        const string output = """
            10.244.2.0/24 via 10.250.0.3 dev plnode0
            10.250.0.0/24 dev plnode0 proto kernel src 10.250.0.2
            default via 10.250.0.1 dev plnode0

            """;

        Assert.Equal(new Dictionary<string, string> { ["10.244.2.0/24"] = "10.250.0.3", ["default"] = "10.250.0.1" }, NodeRoutes.ParseRoutes(output, "via"));
        Assert.Equal("plnode0", NodeRoutes.ParseRoutes(output, "dev")["10.250.0.0/24"]);
    }
}
