using Microsoft.Extensions.Options;

namespace Platform.EventBus.Kafka;

/// <summary>Kafka connection settings, bound from the <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary><c>Kafka:BootstrapServers</c>, e.g. <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapServers { get; set; } = "";
    /// <summary><c>Kafka:ClientId</c>; defaults to the application name.</summary>
    public string? ClientId { get; set; }
    /// <summary><c>Kafka:StartupTimeoutSeconds</c>: how long to wait for the broker at start before failing.</summary>
    public int StartupTimeoutSeconds { get; set; } = 15;
    /// <summary><c>Kafka:MessageTimeoutMs</c>: how long the producer keeps retrying one message before reporting it failed.</summary>
    public int MessageTimeoutMs { get; set; } = 30_000;
    /// <summary>
    /// <c>Kafka:Compression</c>: <c>none</c>, <c>gzip</c>, <c>snappy</c>, <c>lz4</c> or <c>zstd</c>. The default, none, is the one
    /// every consumer reads without an extra codec (see README, Event bus, for the relay figures of each).
    /// </summary>
    public EventCompression Compression { get; set; } = EventCompression.None;
}

internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            errors.Add("Kafka:BootstrapServers: required (host:port[,host:port...]); set it or PLATFORM_KAFKA_BOOTSTRAP");
        else
        {
            foreach (var part in options.BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
            {
                var colon = part.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out var port) || port is <= 0 or > 65535)
                    errors.Add($"Kafka:BootstrapServers: '{part}' is not host:port");
            }
        }
        if (options.StartupTimeoutSeconds <= 0) errors.Add("Kafka:StartupTimeoutSeconds: must be > 0");
        if (options.MessageTimeoutMs < 1000) errors.Add("Kafka:MessageTimeoutMs: must be >= 1000");
        if (!Enum.IsDefined(options.Compression))
            errors.Add($"Kafka:Compression: '{options.Compression}' is not one of none, gzip, snappy, lz4, zstd");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
