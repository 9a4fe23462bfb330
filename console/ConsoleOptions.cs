namespace Platform.Console;

/// <summary>The console's settings, section <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary><c>Console:ApiServerUrl</c>: the apiserver every page reads and writes with the signed-in user's token (required); the replicas' URLs separated by commas for several.</summary>
    public string ApiServerUrl { get; set; } = "";

    /// <summary><c>Console:CaFile</c>: the CA the apiserver's certificate is checked against (<c>PLATFORM_CA_FILE</c>); empty: the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary><c>Console:TopicPrefix</c>: prefix of the resource topics the live event stream follows (<c>platform.</c>: <c>platform.pods</c> ...).</summary>
    public string TopicPrefix { get; set; } = "platform.";

    /// <summary><c>Console:EventBuffer</c>: how many recent events the live stream replays to a page that opens it.</summary>
    public int EventBuffer { get; set; } = 500;

    /// <summary><c>Console:AccessCacheSeconds</c>: how long a live stream trusts one access review (may this user list pods in ns?).</summary>
    public int AccessCacheSeconds { get; set; } = 30;

    /// <summary><c>Console:PodsPerPage</c>: rows on one page of the pods list (1..1000); <c>?page=</c> picks the page.</summary>
    public int PodsPerPage { get; set; } = 100;

    /// <summary><c>Console:KeysDirectory</c>: where ASP.NET Data Protection keeps the keys that encrypt the sign-in cookie; empty: in memory (sign-ins end with the process).</summary>
    public string? KeysDirectory { get; set; }

    /// <summary><c>Console:EurekaUrl</c>: discovery's Eureka base URL, Basic credentials in the user info (<c>http://user:pass@127.0.0.1:8761/eureka</c>); empty: no registry page.</summary>
    public string? EurekaUrl { get; set; }

    /// <summary><c>Console:ConnectUrl</c>: the Kafka Connect REST API, Basic credentials in the user info as <c>CONNECT_URL</c> has them (<c>http://user:pass@127.0.0.1:8083</c>); empty: the connectors page shows only KafkaConnector resources.</summary>
    public string? ConnectUrl { get; set; }

    /// <summary><c>Console:GatewayMetricsUrl</c>: the gateways' Prometheus endpoints (<c>http://127.0.0.1:8080/metrics</c>), comma-separated for several replicas (summed); empty: the routes page shows no per-route figures.</summary>
    public string? GatewayMetricsUrl { get; set; }

    /// <summary><c>Console:GatewayScrapeSeconds</c>: how often the gateways' metrics are scraped (1..300); rates are taken over a minute, or three scrapes when longer.</summary>
    public int GatewayScrapeSeconds { get; set; } = 5;

    /// <summary><c>Console:RegistryRefreshSeconds</c>: how often an open registry page fetches itself again (1..300): an instance that registers, renews or leaves changes no platform resource, so no event says so.</summary>
    public int RegistryRefreshSeconds { get; set; } = 5;

    /// <summary><c>Console:ConfigServerUrl</c>: the config server, Basic credentials in the user info as <c>CONFIG_SERVER_URL</c> has them (<c>http://user:pass@127.0.0.1:8888</c>); empty: no config page.</summary>
    public string? ConfigServerUrl { get; set; }

    /// <summary><c>Console:ConfigApplications:N</c>: applications the config page lists besides those named by ConfigMaps labelled <c>config.platform.io/application</c> (Spring Cloud Config has no list of applications to ask for).</summary>
    public IList<string> ConfigApplications { get; } = [];

    /// <summary><c>Console:Oidc</c>: sign-in with an OpenID Connect provider besides tokens (off unless <c>Authority</c> is set).</summary>
    public Auth.ConsoleOidcOptions Oidc { get; set; } = new();
}
