using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Fuzz;
using Xunit.Abstractions;

namespace Platform.ApiServer.Tests.Fuzz;

[Collection(ApiServerCollection.Name)]
public sealed class FuzzTests(PostgresFixture pg, KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task ThousandsOfMalformedRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        // Objects to patch, so merge patches reach validation instead of stopping at 404.
        await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")).ExpectAsync(201);
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("x"))).ExpectAsync(201);

        var corpus = new ApiServerCorpus(ns);
        var report = await new FuzzRunner("apiserver", host.BaseAddress)
        {
            Concurrency = 8,
            DefaultHeaders = [new("Authorization", "Bearer " + host.AdminToken)],
            HealthPath = "/readyz",
            Output = output.WriteLine,
        }.RunAsync(FuzzSettings.For(seed: 4242, count: 1200), corpus.Next);

        report.AssertClean();
        Assert.True(report.Statuses.Keys.Count(k => k >= 400) >= 5, "expected a variety of 4xx answers: " + report.Line());
    }
}
