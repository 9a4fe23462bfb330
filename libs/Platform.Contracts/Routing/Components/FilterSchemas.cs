namespace Platform.Contracts.Routing;

/// <summary>The gateway's built-in filters (Spring Cloud Gateway's names, arguments and shortcut order).</summary>
public static partial class FilterSchemas
{
    private static ArgSchema Req(string name, ArgKind kind = ArgKind.Text) => new(name, kind, Required: true);
    private static ArgSchema Opt(string name, ArgKind kind = ArgKind.Text) => new(name, kind);
    private static ArgSchema Choice(string name, params string[] values) => new(name, ArgKind.Choice) { Values = values };
    private static ComponentSchema F(string name, string[] shortcut, params ArgSchema[] args) => new(name, shortcut, args);

    public static readonly ComponentSchema AddRequestHeader = F("AddRequestHeader", ["name", "value"], Req("name"), Opt("value"));
    public static readonly ComponentSchema AddRequestHeadersIfNotPresent =
        F("AddRequestHeadersIfNotPresent", ["headers"], Req("headers", ArgKind.List)) with { ShortcutType = ShortcutType.GatherList };
    public static readonly ComponentSchema AddRequestParameter = F("AddRequestParameter", ["name", "value"], Req("name"), Opt("value"));
    public static readonly ComponentSchema AddResponseHeader = F("AddResponseHeader", ["name", "value"], Req("name"), Opt("value"));
    public static readonly ComponentSchema RemoveRequestHeader = F("RemoveRequestHeader", ["name"], Req("name"));
    public static readonly ComponentSchema RemoveResponseHeader = F("RemoveResponseHeader", ["name"], Req("name"));
    public static readonly ComponentSchema RemoveRequestParameter = F("RemoveRequestParameter", ["name"], Req("name"));
    public static readonly ComponentSchema RewriteRequestParameter = F("RewriteRequestParameter", ["name", "replacement"], Req("name"), Opt("replacement"));
    public static readonly ComponentSchema SetRequestHeader = F("SetRequestHeader", ["name", "value"], Req("name"), Opt("value"));
    public static readonly ComponentSchema SetResponseHeader = F("SetResponseHeader", ["name", "value"], Req("name"), Opt("value"));
    public static readonly ComponentSchema SetRequestHostHeader = F("SetRequestHostHeader", ["host"], Req("host"));
    public static readonly ComponentSchema RewriteResponseHeader =
        F("RewriteResponseHeader", ["name", "regexp", "replacement"], Req("name"), Req("regexp", ArgKind.Regex), Opt("replacement"));
    public static readonly ComponentSchema RewriteLocationResponseHeader = F("RewriteLocationResponseHeader",
        ["stripVersion", "locationHeaderName", "hostValue", "protocols"],
        Choice("stripVersion", "NEVER_STRIP", "AS_IN_REQUEST", "ALWAYS_STRIP") with { Aliases = ["stripVersionMode", "mode"] },
        Opt("locationHeaderName"), Opt("hostValue"), Opt("protocols", ArgKind.Regex) with { Aliases = ["protocolsRegex"] });
    public static readonly ComponentSchema DedupeResponseHeader =
        F("DedupeResponseHeader", ["name", "strategy"], Req("name"), Choice("strategy", "RETAIN_FIRST", "RETAIN_LAST", "RETAIN_UNIQUE"));
    public static readonly ComponentSchema MapRequestHeader = F("MapRequestHeader", ["fromHeader", "toHeader"], Req("fromHeader"), Req("toHeader"));
    public static readonly ComponentSchema PreserveHostHeader = F("PreserveHostHeader", []);
    public static readonly ComponentSchema SecureHeaders = F("SecureHeaders", [], Opt("disable", ArgKind.List), Opt("xssProtectionHeader"),
        Opt("strictTransportSecurity"), Opt("frameOptions"), Opt("contentTypeOptions"), Opt("referrerPolicy"), Opt("contentSecurityPolicy"),
        Opt("downloadOptions"), Opt("permittedCrossDomainPolicies"));
    public static readonly ComponentSchema StripPrefix = F("StripPrefix", ["parts"], new ArgSchema("parts", ArgKind.Integer) { Min = 0 });
    public static readonly ComponentSchema PrefixPath = F("PrefixPath", ["prefix"], Req("prefix"));
    public static readonly ComponentSchema RewritePath = F("RewritePath", ["regexp", "replacement"], Req("regexp", ArgKind.Regex), Opt("replacement"));
    public static readonly ComponentSchema SetPath = F("SetPath", ["template"], Req("template"));
    public static readonly ComponentSchema SetRequestUri = F("SetRequestUri", ["template"], Req("template") with { Aliases = ["uri"] });
    public static readonly ComponentSchema RequestHeaderToRequestUri = F("RequestHeaderToRequestUri", ["name"], Req("name"));
    public static readonly ComponentSchema SetStatus = F("SetStatus", ["status"], Req("status", ArgKind.HttpStatus), Opt("originalStatusHeaderName"));
    public static readonly ComponentSchema RedirectTo = F("RedirectTo", ["status", "url", "includeRequestParams"],
        Req("status", ArgKind.HttpStatus), Req("url"), Opt("includeRequestParams", ArgKind.Boolean));
    /// <summary>Gateway API's <c>RequestRedirect</c> (HTTPRoutes): the request's URL with scheme, host, port or path replaced; <c>prefix</c> is the matched PathPrefix a <c>replacePrefixMatch</c> replaces.</summary>
    public static readonly ComponentSchema RequestRedirect = F("RequestRedirect", ["statusCode", "scheme", "hostname", "port"],
        Opt("statusCode", ArgKind.HttpStatus), Opt("scheme"), Opt("hostname"), Opt("port", ArgKind.Integer), Opt("replaceFullPath"), Opt("replacePrefixMatch"), Opt("prefix"));
    /// <summary>Gateway API's <c>RequestMirror</c> (HTTPRoutes): a copy of each request (a <c>percent</c> of them) sent to a Service's endpoint, its answer dropped.</summary>
    public static readonly ComponentSchema RequestMirror = F("RequestMirror", ["service", "port", "percent"],
        Req("service"), Opt("port"), new ArgSchema("percent", ArgKind.Integer) { Min = 0 });
    public static readonly ComponentSchema RequestSize = F("RequestSize", ["maxSize"], Opt("maxSize", ArgKind.Size));
    public static readonly ComponentSchema RequestHeaderSize = F("RequestHeaderSize", ["maxSize", "errorHeaderName"], Req("maxSize", ArgKind.Size), Opt("errorHeaderName"));
    public static readonly ComponentSchema LocalResponseCache = F("LocalResponseCache", ["timeToLive", "size"], Opt("timeToLive", ArgKind.Duration), Opt("size", ArgKind.Size));
}
