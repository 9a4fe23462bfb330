using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Platform.Config.Client;

/// <summary>
/// Client settings read from Steeltoe's keys, so an application can switch between this client and Steeltoe:
/// <c>spring:application:name</c>, <c>spring:cloud:config:{uri,name,env,label,enabled,failFast,username,password,timeout}</c>,
/// <c>spring:cloud:config:retry:{enabled,initialInterval,maxInterval,multiplier,maxAttempts}</c>,
/// <c>spring:cloud:config:discovery:{enabled,serviceId}</c> with <c>eureka:client:serviceUrl:defaultZone</c>, and for
/// refresh over Kafka <c>spring:cloud:bus:{enabled,destination}</c> with <c>spring:kafka:bootstrap-servers</c>
/// (or <c>Kafka:BootstrapServers</c> / <c>PLATFORM_KAFKA_BOOTSTRAP</c>).
/// </summary>
public sealed class ConfigServerClientSettings
{
    public string Name { get; set; } = "application";
    public string Environment { get; set; } = "default";
    public string? Label { get; set; }
    public IReadOnlyList<Uri> Uris { get; set; } = [new Uri("http://localhost:8888")];
    public bool Enabled { get; set; } = true;
    public bool FailFast { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(6);
    public bool RetryEnabled { get; set; }
    public TimeSpan RetryInitialInterval { get; set; } = TimeSpan.FromMilliseconds(1000);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromMilliseconds(2000);
    public double RetryMultiplier { get; set; } = 1.1;
    public int RetryMaxAttempts { get; set; } = 6;
    public bool DiscoveryEnabled { get; set; }
    public string DiscoveryServiceId { get; set; } = "configserver";
    public IReadOnlyList<Uri> EurekaServiceUrls { get; set; } = [];
    public bool BusEnabled { get; set; } = true;
    public string BusTopic { get; set; } = "springCloudBus";
    public string? KafkaBootstrapServers { get; set; }

    /// <summary>Reads the settings; throws <see cref="FormatException"/> naming the key of a malformed value.</summary>
    public static ConfigServerClientSettings From(IConfiguration config)
    {
        var s = new ConfigServerClientSettings();
        const string p = "spring:cloud:config:";
        s.Name = config[p + "name"] ?? config["spring:application:name"] ?? System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "application";
        s.Environment = config[p + "env"] ?? config["ASPNETCORE_ENVIRONMENT"] ?? config["DOTNET_ENVIRONMENT"] ?? config["environment"] ?? "default";
        s.Label = config[p + "label"];
        if (config[p + "uri"] is { Length: > 0 } uris)
            s.Uris = [.. uris.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => ParseUri(p + "uri", u))];
        s.Enabled = Bool(config, p + "enabled", true);
        s.FailFast = Bool(config, p + "failFast", false);
        s.Username = config[p + "username"];
        s.Password = config[p + "password"];
        s.Timeout = TimeSpan.FromMilliseconds(Number(config, p + "timeout", 6000));
        s.RetryEnabled = Bool(config, p + "retry:enabled", false);
        s.RetryInitialInterval = TimeSpan.FromMilliseconds(Number(config, p + "retry:initialInterval", 1000));
        s.RetryMaxInterval = TimeSpan.FromMilliseconds(Number(config, p + "retry:maxInterval", 2000));
        s.RetryMultiplier = Number(config, p + "retry:multiplier", 1.1);
        s.RetryMaxAttempts = (int)Number(config, p + "retry:maxAttempts", 6);
        s.DiscoveryEnabled = Bool(config, p + "discovery:enabled", false);
        s.DiscoveryServiceId = config[p + "discovery:serviceId"] ?? "configserver";
        if (config["eureka:client:serviceUrl:defaultZone"] is { Length: > 0 } zones)
            s.EurekaServiceUrls = [.. zones.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => ParseUri("eureka:client:serviceUrl:defaultZone", u))];
        s.KafkaBootstrapServers = config["spring:kafka:bootstrap-servers"] ?? config["Kafka:BootstrapServers"] ?? config["PLATFORM_KAFKA_BOOTSTRAP"];
        s.BusEnabled = Bool(config, "spring:cloud:bus:enabled", true) && !string.IsNullOrWhiteSpace(s.KafkaBootstrapServers);
        s.BusTopic = config["spring:cloud:bus:destination"] ?? "springCloudBus";
        if (s.RetryMaxAttempts < 1) throw new FormatException(p + "retry:maxAttempts: must be >= 1");
        if (s.Timeout <= TimeSpan.Zero) throw new FormatException(p + "timeout: must be > 0 (milliseconds)");
        return s;
    }

    private static Uri ParseUri(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri : throw new FormatException($"{key}: '{value}' is not an absolute http(s) URI");

    private static bool Bool(IConfiguration config, string key, bool fallback) =>
        config[key] is not { Length: > 0 } v ? fallback
        : bool.TryParse(v, out var b) ? b : throw new FormatException($"{key}: '{v}' is not true or false");

    private static double Number(IConfiguration config, string key, double fallback) =>
        config[key] is not { Length: > 0 } v ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{key}: '{v}' is not a number");
}
