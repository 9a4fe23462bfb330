using System.Net;
using System.Text;
using Confluent.Kafka;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class TopicsPageTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Topics_ShowAGroupThatReadThreeOfFiveWithLagTwo_AndRefuseANamespacedViewer()
    {
        var topic = fx.Kafka.CreateTopic("console-lag", partitions: 1);
        var group = "console-lag-" + Guid.NewGuid().ToString("N")[..8];
        using (var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = fx.Kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
                await producer.ProduceAsync(topic, new Message<string?, byte[]> { Key = $"k{i}", Value = Encoding.UTF8.GetBytes($"secret-payload-{i}") });
        }
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = fx.Kafka.BootstrapServers, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        ConsumeResult<string?, byte[]>? third = null;
        for (var read = 0; read < 3;)
        {
            var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("the group gets the topic's messages");
            if (r.IsPartitionEOF) continue;
            third = r;
            read++;
        }
        consumer.Commit(third!);

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var (status, html) = await browser.GetAsync($"/topics?q={topic}&group={group}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-topic=\"{topic}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-partition=\"{topic}/0\">0: leader", html, StringComparison.Ordinal);
        Assert.Contains("offsets 0..5", html, StringComparison.Ordinal);
        var row = RowOf(html, $"data-lag=\"{group}/{topic}/0\"");
        Assert.Contains("<td>3</td><td>5</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"lag\">2</td>", row, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-payload", html, StringComparison.Ordinal);

        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        using var viewer = fx.Browser();
        (await viewer.SignInAsync(await fx.ServiceAccountTokenAsync(ns, "dev", "view"))).Dispose();
        var (refused, text) = await viewer.GetAsync($"/topics?q={topic}");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("needs list on kafkatopics.kafka.platform.io in every namespace", text, StringComparison.Ordinal);
        Assert.DoesNotContain(topic, text.Replace($"value=\"{topic}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        consumer.Close();
    }

    private static string RowOf(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the page has a row {marker}");
        return html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }
}
