namespace Platform.Contracts.Routing;

/// <summary>Traffic, body, auth and sample filters.</summary>
public static partial class FilterSchemas
{
    private static ArgSchema Int(string name, int min) => new(name, ArgKind.Integer) { Min = min };

    public static readonly ComponentSchema RequestRateLimiter = F("RequestRateLimiter", ["replenishRate", "burstCapacity"],
        Int("replenishRate", 1), Int("burstCapacity", 1), Int("requestedTokens", 1), Opt("key-resolver") with { Aliases = ["keyResolver"] },
        Opt("deny-empty-key", ArgKind.Boolean)) with { ArgPrefixes = ["redis-rate-limiter."] };
    public static readonly ComponentSchema Retry = F("Retry", ["retries"], Int("retries", 1), Opt("statuses", ArgKind.HttpStatusList),
        Opt("series", ArgKind.List), Opt("methods", ArgKind.List), Opt("jitter", ArgKind.Boolean))
        with { ArgPrefixes = ["backoff."] };
    public static readonly ComponentSchema CircuitBreaker = F("CircuitBreaker", ["name", "fallbackUri"], Opt("name"), Opt("fallbackUri"),
        Opt("statusCodes", ArgKind.List), Opt("failureRatio", ArgKind.Number), Int("minimumThroughput", 2),
        Opt("samplingDuration", ArgKind.Duration), Opt("breakDuration", ArgKind.Duration));
    public static readonly ComponentSchema FallbackHeaders = F("FallbackHeaders", [], Opt("executionExceptionTypeHeaderName"),
        Opt("executionExceptionMessageHeaderName"), Opt("rootCauseExceptionTypeHeaderName"), Opt("rootCauseExceptionMessageHeaderName"));

    /// <summary>What <c>CacheRequestBody</c>'s <c>bodyClass</c> may name: text, bytes, or a JSON type.</summary>
    public static readonly IReadOnlyList<string> BodyClasses =
    [
        "java.lang.String", "String", "byte[]", "[B", "java.nio.ByteBuffer", "org.springframework.core.io.buffer.DataBuffer",
        "java.util.Map", "java.util.HashMap", "java.util.LinkedHashMap", "java.lang.Object", "java.util.List",
        "com.fasterxml.jackson.databind.JsonNode", "tools.jackson.databind.JsonNode",
    ];

    public static readonly ComponentSchema CacheRequestBody = F("CacheRequestBody", ["bodyClass"],
        new ArgSchema("bodyClass", ArgKind.Choice) { Values = BodyClasses }, Opt("maxSize", ArgKind.Size));

    private static ComponentSchema ModifyBody(string name) => F(name, [], Choice("from", "json", "form"), Choice("to", "json", "form"),
        Opt("newContentType") with { Aliases = ["contentType"] }, Opt("remove", ArgKind.List), Opt("maxSize", ArgKind.Size)) with { ArgPrefixes = ["set."] };

    public static readonly ComponentSchema ModifyRequestBody = ModifyBody("ModifyRequestBody");
    public static readonly ComponentSchema ModifyResponseBody = ModifyBody("ModifyResponseBody");
    public static readonly ComponentSchema RemoveJsonAttributesResponseBody = F("RemoveJsonAttributesResponseBody", ["fieldList", "deleteRecursively"],
        Req("fieldList", ArgKind.List), Opt("deleteRecursively", ArgKind.Boolean), Opt("maxSize", ArgKind.Size)) with { ShortcutType = ShortcutType.GatherListTailFlag };

    /// <summary>
    /// Spring's <c>JsonToGrpc</c>: <c>protoDescriptor</c> (a FileDescriptorSet file on the gateway), <c>protoFile</c>,
    /// <c>service</c>, <c>method</c>; the gateway checks the file, service and method when it builds the route.
    /// </summary>
    public static readonly ComponentSchema JsonToGrpc = F("JsonToGrpc", ["protoDescriptor", "protoFile", "service", "method"],
        Req("protoDescriptor"), Opt("protoFile"), Req("service"), Req("method"), Opt("maxSize", ArgKind.Size));

    public static readonly ComponentSchema JwtAuthentication = F("JwtAuthentication", ["roles"], Opt("roles", ArgKind.List), Opt("scopes", ArgKind.List))
        with { ShortcutType = ShortcutType.GatherList };
    public static readonly ComponentSchema ApiKey = F("ApiKey", ["roles"], Opt("roles", ArgKind.List), Opt("scopes", ArgKind.List), Opt("header"))
        with { ShortcutType = ShortcutType.GatherList };
    public static readonly ComponentSchema RequireRoles = F("RequireRoles", ["roles"], Opt("roles", ArgKind.List), Opt("scopes", ArgKind.List))
        with { ShortcutType = ShortcutType.GatherList };
    public static readonly ComponentSchema TokenRelay = F("TokenRelay", []);

    /// <summary>The seed's sample filters (<c>CustomFilter</c>, and <c>LoggingFilter</c>/<c>GlobalFilter</c> with their logger config).</summary>
    public static readonly ComponentSchema CustomFilter = F("CustomFilter", []);
    public static readonly ComponentSchema LoggingFilter = F("LoggingFilter", [], Opt("baseMessage"), Opt("preLogger", ArgKind.Boolean), Opt("postLogger", ArgKind.Boolean));
    public static readonly ComponentSchema GlobalFilter = LoggingFilter with { Name = "GlobalFilter" };

    private static IReadOnlyDictionary<string, ComponentSchema>? _all;

    /// <summary>Every built-in filter, by name (case-insensitive, as the gateway looks them up).</summary>
    public static IReadOnlyDictionary<string, ComponentSchema> All => _all ??= ComponentSchemas.Collect(typeof(FilterSchemas));
}
