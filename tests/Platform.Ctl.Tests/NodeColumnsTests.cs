using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Tests;

/// <summary>kubectl's node rows: status with SchedulingDisabled, roles from labels, the version, and -o wide's addresses and host facts.</summary>
public sealed class NodeColumnsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonObject Node = JsonNode.Parse("""
        {"metadata": {"name": "node-2", "creationTimestamp": "2026-01-01T09:00:00Z",
                      "labels": {"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/edge": "", "kubernetes.io/hostname": "node-2"}},
         "spec": {"unschedulable": true},
         "status": {"conditions": [{"type": "Ready", "status": "True"}],
                    "addresses": [{"type": "InternalIP", "address": "127.0.1.2"}, {"type": "Hostname", "address": "node-2"}],
                    "nodeInfo": {"kubeletVersion": "v1.32.0-platform", "osImage": "Debian GNU/Linux 12 (bookworm)",
                                 "kernelVersion": "6.1.0-18-amd64", "containerRuntimeVersion": "docker://20.10.24"}}}
        """)!.AsObject();

    [Fact]
    public void Row_ShowsStatusRolesAgeAndVersion_AndWideAddsAddressesAndHostFacts()
    {
        var (headers, row) = TableColumns.For(ResourceKinds.Node, wide: false, Now);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], headers);
        Assert.Equal(["node-2", "Ready,SchedulingDisabled", "edge,worker", "3h", "v1.32.0-platform"], row(Node));

        var (wideHeaders, wideRow) = TableColumns.For(ResourceKinds.Node, wide: true, Now);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], wideHeaders);
        Assert.Equal(["127.0.1.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "docker://20.10.24"], wideRow(Node)[5..]);
    }

    [Fact]
    public void ANodeThatNeverReported_IsUnknown_WithoutRolesOrHostFacts()
    {
        var bare = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "new" } };
        var (_, row) = TableColumns.For(ResourceKinds.Node, wide: true, Now);
        Assert.Equal(["new", "Unknown", "<none>", "<unknown>", "<none>", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], row(bare));
    }
}
