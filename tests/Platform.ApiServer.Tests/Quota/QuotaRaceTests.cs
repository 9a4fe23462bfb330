using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Quota;

/// <summary>Creates racing for a quota's last slots: the quota rows are locked for each write, so exactly as many as fit get in.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class QuotaRaceTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task RacingCreates_TakeExactlyTheSlotsLeft_AndStatusUsedCountsThem()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var api = $"/api/v1/namespaces/{ns}";
        await http.PostAsync($"{api}/resourcequotas", Http.Yaml("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: slots
            spec:
              hard:
                configmaps: "3"
                pods: "2"
            """)).ExpectAsync(201);

        async Task<int> Post(string collection, string body)
        {
            using var r = await http.PostAsync($"{api}/{collection}", Http.Yaml(body));
            return (int)r.StatusCode;
        }
        var creates = Enumerable.Range(0, 12).Select(i => Post("configmaps", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n"))
            .Concat(Enumerable.Range(0, 8).Select(i => Post("pods", Http.Pod($"pod-{i}"))))
            .ToList();
        var statuses = await Task.WhenAll(creates);

        Assert.Equal(3, statuses.Take(12).Count(s => s == 201));
        Assert.Equal(2, statuses.Skip(12).Count(s => s == 201));
        Assert.All(statuses, s => Assert.True(s is 201 or 403, $"a create answered {s}"));
        var (configMaps, pods) = (await http.GetAsync($"{api}/configmaps").ExpectAsync(200), await http.GetAsync($"{api}/pods").ExpectAsync(200));
        Assert.Equal((3, 2), (configMaps["items"]!.AsArray().Count, pods["items"]!.AsArray().Count));
        var quota = await http.GetAsync($"{api}/resourcequotas/slots").ExpectAsync(200);
        Assert.Equal("""{"configmaps":"3","pods":"2"}""", QuotaTests.Sorted(quota["status"]!["used"]!));
    }
}
