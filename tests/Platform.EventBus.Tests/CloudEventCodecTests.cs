using System.Text;
using Confluent.Kafka;
using Platform.EventBus.CloudEvents;

namespace Platform.EventBus.Tests;

public sealed class CloudEventCodecTests
{
    [Fact]
    public void ToMessage_WritesBinaryModeHeaders_AndFromMessageReadsThemBack()
    {
        var e = PlatformEvent.Create("/apiserver", "io.platform.pod.created", "default/web-1", new { name = "web-1" }, subject: "default/web-1")
            with { Extensions = new Dictionary<string, string> { ["resourceversion"] = "42" } };

        var message = KafkaCloudEventCodec.ToMessage(e);

        string Header(string name) => Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
        Assert.Equal("1.0", Header("ce_specversion"));
        Assert.Equal(e.Id, Header("ce_id"));
        Assert.Equal("/apiserver", Header("ce_source"));
        Assert.Equal("io.platform.pod.created", Header("ce_type"));
        Assert.Equal("default/web-1", Header("ce_subject"));
        Assert.Equal("application/json", Header("content-type"));
        Assert.Equal("42", Header("ce_resourceversion"));
        Assert.Equal("default/web-1", message.Key);
        Assert.Equal("{\"name\":\"web-1\"}", Encoding.UTF8.GetString(message.Value));

        var back = KafkaCloudEventCodec.FromMessage(message);
        Assert.Equal(e.Id, back.Id);
        Assert.Equal(e.Type, back.Type);
        Assert.Equal(e.Subject, back.Subject);
        Assert.Equal("42", back.Extensions["resourceversion"]);
        Assert.Equal(e.Time.ToUnixTimeMilliseconds(), back.Time.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void FromMessage_WithoutCeId_IsFormatError()
    {
        var message = new Message<string?, byte[]>
        {
            Value = "{}"u8.ToArray(),
            Headers = new Headers { { "ce_specversion", "1.0"u8.ToArray() }, { "ce_source", "/x"u8.ToArray() }, { "ce_type", "t"u8.ToArray() } },
        };
        var ex = Assert.Throws<FormatException>(() => KafkaCloudEventCodec.FromMessage(message));
        Assert.Contains("ce_id", ex.Message);
    }

    [Fact]
    public void ToMessage_WithEmptyType_IsRejected()
    {
        var e = new PlatformEvent { Id = "1", Source = "/x", Type = "", Data = "{}"u8.ToArray() };
        Assert.ThrowsAny<ArgumentException>(() => KafkaCloudEventCodec.ToMessage(e));
    }
}
