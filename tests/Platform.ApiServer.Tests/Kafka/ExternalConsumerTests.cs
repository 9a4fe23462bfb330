using System.Diagnostics;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kafka;

[Collection(ApiServerCollection.Name)]
public sealed class ExternalConsumerTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Kcat_ReadsEveryChangeWithCloudEventsHeaders_InResourceVersionOrderPerKey()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        foreach (var name in new[] { "a", "b" })
            await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  v: '0'\n")).ExpectAsync(201);
        for (var i = 1; i <= 3; i++)
            foreach (var name in new[] { "a", "b" })
                await http.PatchAsync($"{url}/{name}", "{\"data\":{\"v\":\"" + i + "\"}}").ExpectAsync(200);
        await http.DeleteAsync($"{url}/a").ExpectAsync(200);
        await Eventually.WaitAsync(async () => await Db.ScalarAsync<long>(host.ConnectionString, "SELECT count(*) FROM platform_outbox WHERE published_at IS NULL") == 0,
            TimeSpan.FromSeconds(15), "the outbox to drain");

        var psi = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-C", "-b", kafka.BootstrapServers, "-t", host.Topic(ResourceKinds.ConfigMap), "-o", "beginning", "-e", "-q", "-f", "%p|%k|%h\\n" })
            psi.ArgumentList.Add(a);
        using var kcat = Process.Start(psi)!;
        var output = kcat.StandardOutput.ReadToEndAsync();
        Assert.True(kcat.WaitForExit(TimeSpan.FromSeconds(30)), "kcat did not finish");
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, lines.Length);
        foreach (var key in new[] { $"{ns}/a", $"{ns}/b" })
        {
            var mine = lines.Select(l => l.Split('|')).Where(p => p[1] == key).ToList();
            Assert.Single(mine.Select(p => p[0]).Distinct());
            var headers = mine.Select(p => p[2].Split(',').Select(h => h.Split('=', 2)).ToDictionary(h => h[0], h => h.Length > 1 ? h[1] : "")).ToList();
            Assert.All(headers, h => Assert.Equal("1.0", h["ce_specversion"]));
            Assert.All(headers, h => Assert.Equal("/apiserver", h["ce_source"]));
            var versions = headers.Select(h => long.Parse(h["ce_resourceversion"])).ToList();
            Assert.Equal(versions.Order(), versions);
            Assert.Equal("io.platform.configmap.created", headers[0]["ce_type"]);
            Assert.Equal("io.platform.configmap.updated", headers[1]["ce_type"]);
        }
        Assert.Equal("io.platform.configmap.deleted", lines.Select(l => l.Split('|')).Last(p => p[1] == $"{ns}/a")[2].Split(',').First(h => h.StartsWith("ce_type=", StringComparison.Ordinal))[8..]);
    }
}
