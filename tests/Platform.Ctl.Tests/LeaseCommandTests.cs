using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class LeaseCommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task GetLeases_ShowsNameHolderAge_AndApplyAcceptsALeaseManifest()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        var manifest = Path.Combine(Directory.CreateTempSubdirectory("lease-").FullName, "lease.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: node-1
              namespace: kube-node-lease
            spec:
              holderIdentity: node-1
              leaseDurationSeconds: 40
              renewTime: "2026-11-24T22:00:00.5Z"
            """);
        var applied = await ctl.RunAsync($"apply -f {manifest}");
        Assert.True(applied.Exit == 0, applied.Err);

        var table = await ctl.RunAsync("get leases -n kube-node-lease");
        Assert.True(table.Exit == 0, table.Err);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "HOLDER", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["node-1", "node-1"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);

        var yaml = await ctl.RunAsync("get lease node-1 -n kube-node-lease -o yaml");
        Assert.Contains("renewTime: 2026-11-24T22:00:00.500000Z", yaml.Out.Replace("'", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
