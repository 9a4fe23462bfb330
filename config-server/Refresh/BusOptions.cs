namespace Platform.ConfigServer.Refresh;

/// <summary><c>ConfigServer:Bus</c>: Spring Cloud Bus over Kafka (needs <c>Kafka:BootstrapServers</c> or <c>PLATFORM_KAFKA_BOOTSTRAP</c>).</summary>
internal sealed class BusOptions
{
    public const string Section = "ConfigServer:Bus";

    public bool Enabled { get; set; } = true;

    /// <summary>Spring's <c>spring.cloud.bus.destination</c>.</summary>
    public string Topic { get; set; } = "springCloudBus";

    /// <summary>The <c>originService</c> written into events (Spring's <c>spring.cloud.bus.id</c>).</summary>
    public string ServiceId { get; set; } = "config-server:8888";
}
