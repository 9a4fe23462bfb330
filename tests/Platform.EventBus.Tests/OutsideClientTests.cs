using System.Diagnostics;
using Platform.EventBus.CloudEvents;
using Platform.Testing;

namespace Platform.EventBus.Tests;

/// <summary>A non-.NET client (kcat, librdkafka's CLI from Debian) reads what the event bus produced.</summary>
[Collection(KafkaCollection.Name)]
public sealed class OutsideClientTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Kcat_InAConsumerGroup_SeesCloudEventHeadersAndJsonValue()
    {
        var topic = kafka.CreateTopic("kcat", partitions: 2);
        using var publisher = TestHost.Publisher(kafka.BootstrapServers);
        var e = PlatformEvent.Create("/apiserver", "io.platform.pod.created", "default/web", new { kind = "Pod" }, subject: "default/web");
        await publisher.PublishAsync(topic, e);

        var psi = new ProcessStartInfo("kcat",
            $"-b {kafka.BootstrapServers} -G kcat-{Guid.NewGuid():N} -o beginning -c 1 -e -q -f \"%k|%h|%s\\n\" {topic}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await p.StandardOutput.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);

        Assert.Contains("default/web|", output);
        Assert.Contains($"ce_id={e.Id}", output);
        Assert.Contains("ce_specversion=1.0", output);
        Assert.Contains("ce_type=io.platform.pod.created", output);
        Assert.Contains("ce_source=/apiserver", output);
        Assert.Contains("content-type=application/json", output);
        Assert.Contains("{\"kind\":\"Pod\"}", output);
    }
}
