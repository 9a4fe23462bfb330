using System.Security.Cryptography;
using System.Text;

namespace Platform.NodeAgent.Network;

/// <summary>Interface names (at most 15 characters) the agent owns: its bridge, each pod's veth and the Service proxy's dummy, from short hashes.</summary>
public static class NetworkNames
{
    public const string BridgePrefix = "plbr-";
    public const string VethPrefix = "plv";
    public const string ServiceDummyPrefix = "plsvc-";
    public const string ServiceTablePrefix = "platform_svc_";

    /// <summary><c>plbr-</c> and 8 hex digits of the node name's hash (13 characters).</summary>
    public static string Bridge(string nodeName) => BridgePrefix + Hash(nodeName, 8);

    /// <summary>The Service proxy's dummy interface holding the ClusterIPs: <c>plsvc-</c> and 8 hex digits of the node name's hash (14 characters).</summary>
    public static string ServiceDummy(string nodeName) => ServiceDummyPrefix + Hash(nodeName, 8);

    /// <summary>The Service proxy's nftables table in nftables mode (family <c>ip</c>): <c>platform_svc_</c> and 8 hex digits of the node name's hash.</summary>
    public static string ServiceTable(string nodeName) => ServiceTablePrefix + Hash(nodeName, 8);

    /// <summary>The host end of a pod's veth: <c>plv</c> and 10 hex digits of the pod uid's hash.</summary>
    public static string HostVeth(string podUid) => VethPrefix + Hash(podUid, 10);

    /// <summary>The sandbox end before it moves into the pod's namespace and becomes eth0.</summary>
    internal static string PeerVeth(string podUid) => "plp" + Hash(podUid, 10);

    private static string Hash(string text, int length) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
