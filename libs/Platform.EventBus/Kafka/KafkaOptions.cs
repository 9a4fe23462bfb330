using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Platform.EventBus.Kafka;

/// <summary>Kafka connection settings, bound from the <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>One <c>host:port</c> entry of a bootstrap list (the port after the last colon, 1..65535).</summary>
    internal static bool TryParseHostPort(string part, out string host, out int port)
    {
        var colon = part.LastIndexOf(':');
        host = colon > 0 ? part[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(part[(colon + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }

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

    /// <summary>
    /// <c>Kafka:SecurityProtocol</c>: <c>Plaintext</c> (the default, and all the development broker speaks), <c>Ssl</c>,
    /// <c>SaslPlaintext</c> or <c>SaslSsl</c>. With SASL, each component logs in as its own user (SCRAM), so a
    /// broker's topic ACLs can hold it to the topics it produces and consumes (README, Event bus, Security).
    /// </summary>
    public SecurityProtocol SecurityProtocol { get; set; } = SecurityProtocol.Plaintext;
    /// <summary><c>Kafka:SaslMechanism</c>: <c>ScramSha512</c> (default), <c>ScramSha256</c> or <c>Plain</c>.</summary>
    public SaslMechanism SaslMechanism { get; set; } = SaslMechanism.ScramSha512;
    /// <summary><c>Kafka:SaslUsername</c>: this component's Kafka user.</summary>
    public string? SaslUsername { get; set; }
    /// <summary><c>Kafka:SaslPassword</c>: its password (never logged).</summary>
    public string? SaslPassword { get; set; }
    /// <summary><c>Kafka:SslCaLocation</c>: CA file that signed the brokers' certificates (TLS protocols).</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>
    /// The connection part of every Kafka client this process makes (producers, consumers, admin clients): the
    /// bootstrap servers and the security settings, so no client connects differently from the others.
    /// </summary>
    public T ApplyTo<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = BootstrapServers;
        config.SecurityProtocol = SecurityProtocol;
        if (SecurityProtocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl)
        {
            config.SaslMechanism = SaslMechanism;
            config.SaslUsername = SaslUsername;
            config.SaslPassword = SaslPassword;
        }
        if (SecurityProtocol is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl && !string.IsNullOrWhiteSpace(SslCaLocation))
            config.SslCaLocation = SslCaLocation;
        return config;
    }
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
                if (!KafkaOptions.TryParseHostPort(part, out _, out _))
                    errors.Add($"Kafka:BootstrapServers: '{part}' is not host:port");
            }
        }
        if (options.StartupTimeoutSeconds <= 0) errors.Add("Kafka:StartupTimeoutSeconds: must be > 0");
        if (options.MessageTimeoutMs < 1000) errors.Add("Kafka:MessageTimeoutMs: must be >= 1000");
        if (!Enum.IsDefined(options.Compression))
            errors.Add($"Kafka:Compression: '{options.Compression}' is not one of none, gzip, snappy, lz4, zstd");
        var sasl = options.SecurityProtocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;
        if (!Enum.IsDefined(options.SecurityProtocol))
            errors.Add($"Kafka:SecurityProtocol: '{options.SecurityProtocol}' is not one of Plaintext, Ssl, SaslPlaintext, SaslSsl");
        if (sasl && options.SaslMechanism is not (SaslMechanism.ScramSha256 or SaslMechanism.ScramSha512 or SaslMechanism.Plain))
            errors.Add($"Kafka:SaslMechanism: '{options.SaslMechanism}' is not one of ScramSha512, ScramSha256, Plain");
        if (sasl && string.IsNullOrWhiteSpace(options.SaslUsername))
            errors.Add($"Kafka:SaslUsername: required with Kafka:SecurityProtocol {options.SecurityProtocol}");
        if (sasl && string.IsNullOrEmpty(options.SaslPassword))
            errors.Add($"Kafka:SaslPassword: required with Kafka:SecurityProtocol {options.SecurityProtocol}");
        if (!sasl && (!string.IsNullOrEmpty(options.SaslUsername) || !string.IsNullOrEmpty(options.SaslPassword)))
            errors.Add($"Kafka:SaslUsername/SaslPassword: set, but Kafka:SecurityProtocol is {options.SecurityProtocol}, which sends no credentials (SaslPlaintext or SaslSsl)");
        if (options.SslCaLocation is { Length: > 0 } ca && !File.Exists(ca))
            errors.Add($"Kafka:SslCaLocation: '{ca}' does not exist");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
