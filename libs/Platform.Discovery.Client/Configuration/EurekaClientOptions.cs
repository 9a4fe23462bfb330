namespace Platform.Discovery.Client.Configuration;

/// <summary>Client settings under <c>eureka:client</c>, with Steeltoe's key names.</summary>
public sealed class EurekaClientOptions
{
    public const string Section = "eureka:client";

    /// <summary>
    /// Registry URLs, comma-separated, from <c>eureka:client:serviceUrl:defaultZone</c> (Spring) or a plain
    /// <c>eureka:client:serviceUrl</c> (Steeltoe). User info in a URL becomes Basic credentials.
    /// </summary>
    public string ServiceUrl { get; set; } = "http://localhost:8761/eureka/";
    /// <summary><c>eureka:client:shouldRegisterWithEureka</c> (also <c>register-with-eureka</c>).</summary>
    public bool ShouldRegisterWithEureka { get; set; } = true;
    /// <summary><c>eureka:client:shouldFetchRegistry</c> (also <c>fetch-registry</c>).</summary>
    public bool ShouldFetchRegistry { get; set; } = true;
    /// <summary><c>eureka:client:registryFetchIntervalSeconds</c>.</summary>
    public double RegistryFetchIntervalSeconds { get; set; } = 30;
    /// <summary><c>eureka:client:shouldFilterOnlyUpInstances</c>: resolve only instances whose status is UP.</summary>
    public bool ShouldFilterOnlyUpInstances { get; set; } = true;
    /// <summary><c>eureka:client:shouldDisableDelta</c>: always fetch the full registry.</summary>
    public bool ShouldDisableDelta { get; set; }
    /// <summary><c>eureka:client:eurekaServerConnectTimeoutSeconds</c>: per-request timeout to one registry URL.</summary>
    public double EurekaServerConnectTimeoutSeconds { get; set; } = 5;

    public IReadOnlyList<Uri> ServiceUrls() =>
        ServiceUrl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(u => new Uri(u.EndsWith('/') ? u : u + "/"))
            .ToList();
}
