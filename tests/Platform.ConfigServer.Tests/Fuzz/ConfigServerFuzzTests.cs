using Platform.ConfigServer.Tests.Support;
using Platform.Testing;
using Platform.Testing.Fuzz;
using Xunit.Abstractions;

namespace Platform.ConfigServer.Tests.Fuzz;

/// <summary>
/// The Spring Cloud Config API under malformed requests: never a 5xx, never a hang, every 4xx a ProblemDetails, and the
/// server still healthy afterwards. The bus is on (the mock Kafka cluster), so refresh endpoints do their real work.
/// </summary>
public sealed class ConfigServerFuzzTests(KafkaFixture kafka, ITestOutputHelper output) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task MalformedConfigRequests_NeverGet5xx_NeverHang_AndEachAnswerSaysWhatWasWrong()
    {
        using var repo = ConfigServerCorpus.Repository();
        var logs = new CapturingLoggerProvider();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Encrypt:Key"] = "spring-symmetric-key",
            ["ConfigServer:Bus:Enabled"] = "true",
            ["ConfigServer:Bus:Topic"] = kafka.CreateTopic("bus", 1),
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Logging:LogLevel:Default"] = "Warning",
        }, logs: logs);

        var report = await new FuzzRunner("config-server", host.BaseAddress) { Output = output.WriteLine }
            .RunAsync(FuzzSettings.For(seed: 4242, count: 1000), new ConfigServerCorpus().Next);

        // The server's side of any failure: each distinct error it logged, first line only.
        foreach (var error in logs.Messages.Where(m => m.StartsWith("Error", StringComparison.Ordinal)).Select(m => m.Split('\n')[0]).Distinct().Take(20))
            output.WriteLine(error);
        report.AssertClean();
        Assert.Contains(report.Statuses.Keys, k => k == 200);
    }
}
