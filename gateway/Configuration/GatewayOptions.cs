using Microsoft.Extensions.Options;

namespace Platform.Gateway.Configuration;

/// <summary>The <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary><c>Gateway:RoutesFile</c>: a Spring Boot <c>application.yml</c> with <c>spring.cloud.gateway</c>; reloaded on change.</summary>
    public string? RoutesFile { get; set; }

    /// <summary><c>Gateway:Discovery:EurekaUrl</c> (default: env <c>EUREKA_URL</c>), e.g. <c>http://127.0.0.1:8761/eureka</c>; several servers comma-separated.</summary>
    public DiscoveryOptions Discovery { get; set; } = new();

    /// <summary><c>Gateway:PassiveHealth</c>: when YARP ejects an <c>lb://</c> instance whose connections fail.</summary>
    public PassiveHealthOptions PassiveHealth { get; set; } = new();

    /// <summary>
    /// <c>Gateway:HttpClient</c>: Spring's <c>spring.cloud.gateway.httpclient.*</c> for every route (the routes file's
    /// <c>httpclient</c> keys and a route's metadata override it), and the transparent retry on connection failures.
    /// </summary>
    public HttpClientOptions HttpClient { get; set; } = new();

    /// <summary><c>Gateway:Admin:Token</c> (default: env <c>PLATFORM_ADMIN_TOKEN</c>): bearer token of the actuator API.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>
    /// <c>Gateway:WarmupTimeout</c>: how long a starting gateway waits for its readiness checks (routes, API keys,
    /// registry, Kafka) before it opens its port anyway; 0 opens it at once.
    /// </summary>
    public TimeSpan WarmupTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary><c>Gateway:InstanceId</c>: names this gateway's own Kafka consumer groups (default: host name + random).</summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// <c>Gateway:RegexTimeout</c>: how long one match of a route's regex (Path/Host patterns, Header/Query/Cookie
    /// predicates, RewritePath, RewriteResponseHeader) may run. A timed-out predicate does not match; a timed-out
    /// RewritePath answers 400. Short, because a pathological pattern burns this much CPU per request.
    /// </summary>
    public TimeSpan RegexTimeout { get; set; } = DefaultRegexTimeout;

    public static readonly TimeSpan DefaultRegexTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary><c>Gateway:RoutesFileLimits</c>: bounds on the routes file, checked before it is parsed at start and on every reload.</summary>
    public RoutesFileLimitOptions RoutesFileLimits { get; set; } = new();

    /// <summary><c>Gateway:JsonToGrpc</c>: where Route resources' JsonToGrpc filters may read descriptor sets.</summary>
    public Filters.Grpc.JsonToGrpcOptions JsonToGrpc { get; set; } = new();

    /// <summary><c>Gateway:RateLimiter</c>: the store of every RequestRateLimiter's token buckets.</summary>
    public RateLimiterOptions RateLimiter { get; set; } = new();

    public sealed class RateLimiterOptions
    {
        /// <summary>
        /// <c>Gateway:RateLimiter:MaxBuckets</c>: buckets held at most (one per route and key); when full, refilled ones
        /// are dropped and new keys share their route's overflow bucket.
        /// </summary>
        public int MaxBuckets { get; set; } = 100_000;

        /// <summary><c>Gateway:RateLimiter:Fleet</c>: buckets shared by the gateway replicas (unset: per replica).</summary>
        public RateLimiting.Fleet.FleetOptions Fleet { get; set; } = new();
    }

    public sealed class DiscoveryOptions
    {
        public string? EurekaUrl { get; set; }
        /// <summary><c>Gateway:Discovery:PollInterval</c>: delta fetch period while Kafka is unreachable.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>
        /// <c>Gateway:Discovery:Register</c>: whether this gateway registers itself (default: when
        /// <c>Gateway:RateLimiter:Fleet:App</c> is set, under that name); read at start.
        /// </summary>
        public bool? Register { get; set; }
    }

    public sealed class PassiveHealthOptions
    {
        /// <summary>Share of failed connections/requests in the window above which an instance is ejected.</summary>
        public double FailureRateLimit { get; set; } = 0.3;
        /// <summary>Requests an instance must have had in the window before it can be ejected.</summary>
        public int MinimalTotalCount { get; set; } = 3;
        public TimeSpan DetectionWindow { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>How long an ejected instance stays out before it gets traffic again.</summary>
        public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);
    }

    public sealed class HttpClientOptions
    {
        /// <summary><c>Gateway:HttpClient:ConnectTimeout</c>: TCP connect to an upstream instance.</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// <c>Gateway:HttpClient:ResponseTimeout</c>: from the request sent (the request body read to its end) to the
        /// response headers, per attempt; answered 504 and counted against the instance by passive health. 0 disables.
        /// </summary>
        public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// <c>Gateway:HttpClient:ConnectionRetries</c>: how many other instances an idempotent request is tried on when
        /// its instance refused or dropped the connection before answering. 0 disables.
        /// </summary>
        public int ConnectionRetries { get; set; } = 2;

        /// <summary><c>Gateway:HttpClient:RetryMethods</c>: the methods retried that way (idempotent ones only).</summary>
        public string[]? RetryMethods { get; set; }

        public static readonly IReadOnlyList<string> DefaultRetryMethods = ["GET", "HEAD", "OPTIONS", "TRACE"];

        /// <summary>RFC 9110 section 9.2.2: the methods a client may repeat after a connection failure.</summary>
        public static readonly IReadOnlySet<string> IdempotentMethods =
            new HashSet<string>(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"], StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<string> EffectiveRetryMethods => RetryMethods is { Length: > 0 } m ? m : DefaultRetryMethods;
    }

    public sealed class AdminOptions
    {
        public string? Token { get; set; }
    }

    public sealed class RoutesFileLimitOptions
    {
        public int MaxBytes { get; set; } = 1024 * 1024;
        public int MaxDepth { get; set; } = Platform.Parsing.Yaml.YamlBudget.Default.MaxDepth;
        public int MaxAliases { get; set; } = Platform.Parsing.Yaml.YamlBudget.Default.MaxAliases;
        public int MaxNodes { get; set; } = Platform.Parsing.Yaml.YamlBudget.Default.MaxNodes;

        public Platform.Parsing.Yaml.YamlBudget Budget => new(MaxDepth, MaxAliases, MaxNodes);
    }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions o)
    {
        var errors = new List<string>();
        if (o.RoutesFile is { Length: > 0 } f && !File.Exists(f)) errors.Add($"Gateway:RoutesFile: '{f}' does not exist");
        // One Eureka server or several, comma-separated (Steeltoe's serviceUrl): the client moves on from one that is down.
        // The message names the bad entry without its credentials.
        if (!string.IsNullOrWhiteSpace(o.Discovery.EurekaUrl) && !Platform.Discovery.Client.Transport.EurekaServers.TryParse(o.Discovery.EurekaUrl, out _, out var eurekaError))
            errors.Add($"Gateway:Discovery:EurekaUrl: {eurekaError}");
        if (o.Discovery.PollInterval <= TimeSpan.Zero) errors.Add("Gateway:Discovery:PollInterval: must be > 0");
        if (o.PassiveHealth.FailureRateLimit is <= 0 or > 1) errors.Add("Gateway:PassiveHealth:FailureRateLimit: must be in (0, 1]");
        if (o.PassiveHealth.MinimalTotalCount < 1) errors.Add("Gateway:PassiveHealth:MinimalTotalCount: must be >= 1");
        if (o.PassiveHealth.DetectionWindow <= TimeSpan.Zero) errors.Add("Gateway:PassiveHealth:DetectionWindow: must be > 0");
        if (o.PassiveHealth.ReactivationPeriod <= TimeSpan.Zero) errors.Add("Gateway:PassiveHealth:ReactivationPeriod: must be > 0");
        if (o.HttpClient.ConnectTimeout <= TimeSpan.Zero || o.HttpClient.ConnectTimeout > TimeSpan.FromMinutes(5))
            errors.Add("Gateway:HttpClient:ConnectTimeout: must be > 0 and <= 5 min");
        if (o.HttpClient.ResponseTimeout < TimeSpan.Zero) errors.Add("Gateway:HttpClient:ResponseTimeout: must be >= 0 (0 disables)");
        if (o.HttpClient.ConnectionRetries is < 0 or > 10) errors.Add("Gateway:HttpClient:ConnectionRetries: must be in [0, 10] (0 disables)");
        foreach (var m in o.HttpClient.RetryMethods ?? [])
        {
            if (!GatewayOptions.HttpClientOptions.IdempotentMethods.Contains(m))
                errors.Add($"Gateway:HttpClient:RetryMethods: '{m}' is not idempotent (RFC 9110 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE)");
        }
        if (o.RegexTimeout <= TimeSpan.Zero || o.RegexTimeout > TimeSpan.FromSeconds(1)) errors.Add("Gateway:RegexTimeout: must be > 0 and <= 1 s");
        if (o.WarmupTimeout < TimeSpan.Zero || o.WarmupTimeout > TimeSpan.FromMinutes(5)) errors.Add("Gateway:WarmupTimeout: must be between 0 and 5 minutes");
        if (o.RoutesFileLimits.MaxBytes < 1024) errors.Add("Gateway:RoutesFileLimits:MaxBytes: must be >= 1024");
        if (o.RoutesFileLimits.MaxDepth is < 4 or > 512) errors.Add("Gateway:RoutesFileLimits:MaxDepth: must be in [4, 512]");
        if (o.RoutesFileLimits.MaxAliases < 0) errors.Add("Gateway:RoutesFileLimits:MaxAliases: must be >= 0");
        if (o.RoutesFileLimits.MaxNodes < 1) errors.Add("Gateway:RoutesFileLimits:MaxNodes: must be >= 1");
        if (o.RateLimiter.MaxBuckets < 1) errors.Add("Gateway:RateLimiter:MaxBuckets: must be >= 1");
        o.RateLimiter.Fleet.Validate(errors);
        if (string.IsNullOrWhiteSpace(o.Admin.Token)) errors.Add("Gateway:Admin:Token: required (or env PLATFORM_ADMIN_TOKEN): the actuator API needs a credential");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
