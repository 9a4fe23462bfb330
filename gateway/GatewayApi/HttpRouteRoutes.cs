using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Gateway.Configuration;
using LocalObjectReference = Platform.Contracts.Resources.GatewayApi.LocalObjectReference;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// One HTTPRoute as gateway routes: a route per rule, match and backendRef, with <c>Host</c>, <c>Path</c>,
/// <c>Header</c>, <c>Query</c> and <c>Method</c> predicates and, when a rule has several backends, a <c>Weight</c>
/// group per match so the backends share its requests by weight. Filters become the gateway's filters
/// (<c>Set/Add/RemoveRequestHeader</c>, the response ones, <c>SetPath</c>/<c>RewritePath</c> and
/// <c>SetRequestHostHeader</c> for URL rewrites, <c>RequestRedirect</c>). Orders follow Gateway API's precedence:
/// <c>Exact</c> before <c>RegularExpression</c> before <c>PathPrefix</c>, longer paths first, then a method, then more
/// header and query matches. Each route answers only on its listeners' ports (a <c>GatewayListener</c> predicate).
/// <c>RegularExpression</c> paths become <c>PathRegex</c> (after Exact matches, before PathPrefix ones); a rule's
/// <c>timeouts</c> become the route's <c>request-timeout</c> and <c>response-timeout</c> metadata. An <c>ExtensionRef</c>
/// filter stands for a RouteFilter's filters at its place in the order; one that cannot be resolved is not skipped: the
/// rule answers 500 (<see cref="UnresolvedRefFilterFactory"/>), as does a refused backendRef for its weight's share and a
/// rule with no backend to send to. A backendRef's own <c>filters</c> (the same types)
/// are appended to that backend's route only, so they see just the requests sent to it.
/// </summary>
internal static class HttpRouteRoutes
{
    public const int BaseOrder = 1_000_000;
    public const string MetadataKey = "httproute";

    /// <summary>The id prefix of every route made from one HTTPRoute.</summary>
    public static string GroupOf(string ns, string name) => $"httproute:{ns}/{name}#";

    /// <summary>A backendRef the route may use, resolved by the caller: its <c>lb://</c> URI, port and weight.</summary>
    public sealed record Backend(string Uri, string? Port, int Weight);

    /// <param name="hostnames">The hostnames the route serves on its accepted listeners (empty: any host).</param>
    /// <param name="listeners">The listeners (<c>HTTP/80</c>) whose ports alone serve the route (empty: every port).</param>
    /// <param name="backend">Resolves (and permits) a backendRef; null leaves it out.</param>
    /// <param name="mirrorAllowed">Whether a mirror's backendRef may be used (a Service that exists, granted when in another namespace).</param>
    /// <param name="extension">The filters an <c>ExtensionRef</c> (at the field path given) stands for; null when it cannot be resolved (the caller reports why).</param>
    /// <summary>The routes; what the gateway does not serve (the route still Accepted); what is invalid (the route not Accepted).</summary>
    public sealed record Result(List<RouteDefinition> Routes, List<string> Problems, List<string> Invalid);

    public static Result For(HttpRoute route, IReadOnlyList<string> hostnames, IReadOnlyList<string> listeners, Func<HttpBackendRef, Backend?> backend,
        Func<BackendObjectReference, bool> mirrorAllowed, Func<LocalObjectReference, string, IReadOnlyList<ComponentDefinition>?> extension)
    {
        var ns = route.Metadata.Namespace ?? SystemNamespaces.Default;
        var group = GroupOf(ns, route.Metadata.Name!);
        List<RouteDefinition> routes = [];
        List<string> problems = [];
        List<string> invalid = [];
        var rules = route.Spec.Rules is { Count: > 0 } r ? r : [new HttpRouteRule()];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var where = $"spec.rules[{i}]";
            var filters = Filters(rule.Filters, where + ".filters", mirrorAllowed, extension, problems, out var answered);
            if (filters is null || Timeouts(rule.Timeouts, where + ".timeouts", invalid) is not { } timeouts) continue;
            var matches = rule.Matches is { Count: > 0 } m ? m : [new HttpRouteMatch()];
            var backends = answered ? [(Answered(1), [])]
                : Backends(rule.BackendRefs, where + ".backendRefs", backend, mirrorAllowed, extension, problems);
            // Gateway API: a rule whose requests have nowhere to go answers them 500 rather than letting them fall through.
            if (backends is { Count: 0 })
                backends = [(Answered(1), [Unresolved(where + ".backendRefs", rule.BackendRefs is { Count: > 0 } ? "every backendRef has weight 0" : "the rule has no backendRefs")])];
            if (backends is null) continue;
            for (var j = 0; j < matches.Count; j++)
            {
                if (Predicates(matches[j], $"{where}.matches[{j}]", hostnames, listeners, problems, invalid, out var precedence) is not { } predicates) continue;
                var prefix = matches[j].Path is { Type: "Exact" } ? null : (matches[j].Path?.Value ?? "/");
                var matchFilters = filters.Select(f => WithPrefix(f, prefix)).ToList();
                for (var k = 0; k < backends.Count; k++)
                {
                    List<ComponentDefinition> all = [.. predicates];
                    var (to, own) = backends[k];
                    if (backends.Count > 1)
                        all.Add(Named("Weight", ("group", $"{group}{i}.{j}"), ("weight", to.Weight.ToString(CultureInfo.InvariantCulture))));
                    // Each backend is its own route of the weight group, so its filters run only on the requests sent to it, after the rule's.
                    List<ComponentDefinition> routeFilters = [.. matchFilters, .. own.Select(f => WithPrefix(f, prefix))];
                    routes.Add(Route(route, $"{group}{i}.{j}.{k}", to.Uri, to.Port, BaseOrder + precedence, all, routeFilters, timeouts));
                }
            }
        }
        return new Result(routes, problems, invalid);
    }

    /// <summary>
    /// The rule's backendRefs with weight above 0, each with its own <c>filters</c> as gateway filters; null (with a problem)
    /// when a backend's filters cannot be served, so the rule is not served. One that cannot be resolved (refused: the
    /// caller reports why) keeps its weight and answers 500, so it costs its share of the requests, as Gateway API says. A
    /// resolved backend's filters are read even at weight 0, so an ExtensionRef or mirror it names is still reported.
    /// </summary>
    private static List<(Backend Backend, List<ComponentDefinition> Filters)>? Backends(List<HttpBackendRef>? refs, string where,
        Func<HttpBackendRef, Backend?> backend, Func<BackendObjectReference, bool> mirrorAllowed,
        Func<LocalObjectReference, string, IReadOnlyList<ComponentDefinition>?> extension, List<string> problems)
    {
        List<(Backend, List<ComponentDefinition>)> result = [];
        for (var j = 0; j < (refs?.Count ?? 0); j++)
        {
            if (backend(refs![j]) is not { } resolved)
            {
                var b = refs[j];
                if ((b.Weight ?? 1) > 0)
                    result.Add((Answered(b.Weight ?? 1), [Unresolved($"{where}[{j}]", $"backendRef {b.Kind ?? "Service"} \"{(b.Namespace is { } bns ? bns + "/" : "")}{b.Name}\" cannot be resolved")]));
                continue;
            }
            if (Filters(refs[j].Filters, $"{where}[{j}].filters", mirrorAllowed, extension, problems, out _) is not { } own) return null;
            if (resolved.Weight > 0) result.Add((resolved, own));
        }
        return result;
    }

    /// <summary>
    /// A rule's timeouts as route metadata: <c>request</c> as <c>request-timeout</c> (the whole request), and
    /// <c>backendRequest</c> (else <c>request</c>) as <c>response-timeout</c> (each attempt); <c>0s</c> turns one off.
    /// Null (with an invalid field) when a duration does not parse.
    /// </summary>
    private static Dictionary<string, string>? Timeouts(HttpRouteTimeouts? timeouts, string where, List<string> invalid)
    {
        Dictionary<string, string> metadata = [];
        if (timeouts is null) return metadata;
        TimeSpan? request = null, backend = null;
        foreach (var (value, field) in new[] { (timeouts.Request, "request"), (timeouts.BackendRequest, "backendRequest") })
        {
            if (value is null) continue;
            if (!GatewayApiDuration.TryParse(value, out var d))
            {
                invalid.Add($"{where}.{field}: \"{value}\" is not a Gateway API duration");
                return null;
            }
            if (field == "request") request = d; else backend = d;
        }
        if (request is { } r && r > TimeSpan.Zero) metadata["request-timeout"] = Ms(r);
        if ((backend ?? request) is { } b) metadata["response-timeout"] = b > TimeSpan.Zero ? Ms(b) : "-1";
        return metadata;

        static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    private static RouteDefinition Route(HttpRoute route, string id, string uri, string? port, int order, List<ComponentDefinition> predicates,
        List<ComponentDefinition> filters, Dictionary<string, string> timeouts) => new()
    {
        Id = id,
        Uri = uri,
        BackendPort = port,
        Order = order,
        Source = RouteSources.GatewayApi,
        Predicates = predicates,
        Filters = filters,
        Namespace = route.Metadata.Namespace ?? SystemNamespaces.Default,
        CreatedAt = route.Metadata.CreationTimestamp,
        Metadata = new Dictionary<string, string>(timeouts) { [MetadataKey] = $"{route.Metadata.Namespace}/{route.Metadata.Name}" },
    };

    /// <summary>A backend for requests a filter answers: never forwarded to.</summary>
    private static Backend Answered(int weight) => new("no://op", null, weight);

    private static ComponentDefinition Unresolved(string field, string reason) =>
        Named(UnresolvedRefFilterFactory.FilterName, ("field", field), ("reason", reason));

    private static ComponentDefinition Named(string name, params (string Key, string Value)[] args) =>
        new(name, args.ToDictionary(a => a.Key, a => a.Value), []);

    /// <summary>The match's predicates and its precedence (lower first), or null when the gateway cannot serve it.</summary>
    private static List<ComponentDefinition>? Predicates(HttpRouteMatch match, string where, IReadOnlyList<string> hostnames, IReadOnlyList<string> listeners,
        List<string> problems, List<string> invalid, out int precedence)
    {
        precedence = 0;
        List<ComponentDefinition> predicates = [];
        // First: an integer compare turns away requests on other ports before any header or path is read.
        if (listeners.Count > 0) predicates.Add(Named(Listeners.GatewayListenerRoutePredicateFactory.PredicateName, ("listeners", string.Join(",", listeners))));
        if (hostnames.Count > 0) predicates.Add(ComponentDefinition.ParseShortcut("Host=" + string.Join(",", hostnames)));
        var type = match.Path?.Type ?? "PathPrefix";
        var path = match.Path?.Value ?? "/";
        if (type == "RegularExpression")
        {
            if (InvalidRegex(path) is { } error)
            {
                invalid.Add($"{where}.path.value: \"{path}\" is not a valid regular expression: {error}");
                return null;
            }
            predicates.Add(Named("PathRegex", ("regexp", path)));
        }
        else if (path.IndexOfAny(['*', '?', '{', '}', ',', ' ']) >= 0)
        {
            problems.Add($"{where}.path: \"{path}\" has characters the gateway reads as a pattern (* ? {{ }} , or a space); not served");
            return null;
        }
        var trimmed = path.TrimEnd('/');
        if (type != "RegularExpression")
            predicates.Add(ComponentDefinition.ParseShortcut(type == "Exact" ? "Path=" + path : trimmed.Length == 0 ? "Path=/**" : $"Path={trimmed},{trimmed}/**"));
        for (var i = 0; i < (match.Headers?.Count ?? 0); i++)
        {
            var h = match.Headers![i];
            if (!ValueRegex(h.Type, h.Value!, $"{where}.headers[{i}].value", invalid, out var regexp)) return null;
            predicates.Add(Named("Header", ("header", h.Name!), ("regexp", regexp)));
        }
        for (var i = 0; i < (match.QueryParams?.Count ?? 0); i++)
        {
            var q = match.QueryParams![i];
            if (!ValueRegex(q.Type, q.Value!, $"{where}.queryParams[{i}].value", invalid, out var regexp)) return null;
            predicates.Add(Named("Query", ("param", q.Name!), ("regexp", regexp)));
        }
        if (match.Method is { } method) predicates.Add(ComponentDefinition.ParseShortcut("Method=" + method));
        // Gateway API leaves RegularExpression's precedence to the implementation: here after every Exact match and before
        // every PathPrefix one (so a catch-all prefix cannot hide it), longer expressions first.
        precedence = (type switch { "Exact" => 0, "RegularExpression" => 500_000, _ => 1_000_000 }) + (1024 - Math.Min(trimmed.Length, 1024)) * 400
            + (match.Method is null ? 200 : 0) + (15 - Math.Min(match.Headers?.Count ?? 0, 15)) * 10 + (9 - Math.Min(match.QueryParams?.Count ?? 0, 9));
        return predicates;
    }

    /// <summary>An exact value escaped, or a RegularExpression value as given when it compiles (else an invalid field).</summary>
    private static bool ValueRegex(string? type, string value, string where, List<string> invalid, out string regexp)
    {
        regexp = type == "RegularExpression" ? value : Regex.Escape(value);
        if (type != "RegularExpression" || InvalidRegex(value) is not { } error) return true;
        invalid.Add($"{where}: \"{value}\" is not a valid regular expression: {error}");
        return false;
    }

    /// <summary>Why .NET cannot compile <paramref name="pattern"/>, or null when it can.</summary>
    private static string? InvalidRegex(string pattern)
    {
        try { _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); return null; }
        catch (ArgumentException e) { return e.Message; }
    }

    /// <summary>
    /// The rule's filters as gateway filters, or null (with a problem) when one cannot be served. <paramref name="answered"/>:
    /// a filter answers every request (a redirect, an unresolved ExtensionRef), so no backend is needed.
    /// </summary>
    private static List<ComponentDefinition>? Filters(List<HttpRouteFilter>? filters, string where, Func<BackendObjectReference, bool> mirrorAllowed,
        Func<LocalObjectReference, string, IReadOnlyList<ComponentDefinition>?> extension, List<string> problems, out bool answered)
    {
        answered = false;
        List<ComponentDefinition> result = [];
        for (var i = 0; i < (filters?.Count ?? 0); i++)
        {
            var f = filters![i];
            switch (f.Type)
            {
                case "RequestHeaderModifier" when f.RequestHeaderModifier is { } h:
                    Headers(h, "Request", result);
                    break;
                case "ResponseHeaderModifier" when f.ResponseHeaderModifier is { } h:
                    Headers(h, "Response", result);
                    break;
                case "URLRewrite" when f.UrlRewrite is { } rw:
                    if (rw.Hostname is { } host) result.Add(Named("SetRequestHostHeader", ("host", host)));
                    if (rw.Path is { Type: "ReplaceFullPath", ReplaceFullPath: { } full }) result.Add(Named("SetPath", ("template", full)));
                    if (rw.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: { } replacement })
                        result.Add(Named("RewritePath", (PrefixMarker, replacement)));
                    break;
                case "RequestRedirect" when f.RequestRedirect is { } rd:
                    answered = true;
                    var args = new List<(string, string)>();
                    if (rd.StatusCode is { } code) args.Add(("statusCode", code.ToString(CultureInfo.InvariantCulture)));
                    if (rd.Scheme is { } scheme) args.Add(("scheme", scheme));
                    if (rd.Hostname is { } hostname) args.Add(("hostname", hostname));
                    if (rd.Port is { } port) args.Add(("port", port.ToString(CultureInfo.InvariantCulture)));
                    if (rd.Path is { Type: "ReplaceFullPath", ReplaceFullPath: { } fp }) args.Add(("replaceFullPath", fp));
                    if (rd.Path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: { } pm }) args.Add(("replacePrefixMatch", pm));
                    result.Add(Named("RequestRedirect", [.. args]));
                    break;
                case "RequestMirror" when f.RequestMirror?.BackendRef is { } mirror:
                    // A refused mirror (reported in ResolvedRefs) is left out; the rule is still served.
                    if (!mirrorAllowed(mirror)) break;
                    var margs = new List<(string, string)> { ("service", mirror.Namespace is { } mns ? $"{mirror.Name}.{mns}" : mirror.Name!) };
                    if (mirror.Port is { } mport) margs.Add(("port", mport.ToString(CultureInfo.InvariantCulture)));
                    if (f.RequestMirror.Percent is { } pct) margs.Add(("percent", pct.ToString(CultureInfo.InvariantCulture)));
                    result.Add(Named("RequestMirror", [.. margs]));
                    break;
                case "ExtensionRef" when f.ExtensionRef is { } ext:
                    if (extension(ext, $"{where}[{i}]") is { } extended)
                    {
                        result.AddRange(extended);
                        break;
                    }
                    // Gateway API: an unresolved custom filter is not skipped; the requests it would have seen get an error.
                    answered = true;
                    result.Add(Unresolved($"{where}[{i}]", $"ExtensionRef {ext.Group}/{ext.Kind} \"{ext.Name}\" cannot be resolved"));
                    return result;
                default:
                    problems.Add($"{where}[{i}]: {f.Type} filters are not served by the gateway; rule not served");
                    return null;
            }
        }
        return result;
    }

    /// <summary>Marks a prefix rewrite until the match's prefix is known (<see cref="WithPrefix"/>).</summary>
    private const string PrefixMarker = "@replacePrefixMatch";

    /// <summary>Completes prefix rewrites and redirects with the match's PathPrefix.</summary>
    private static ComponentDefinition WithPrefix(ComponentDefinition f, string? prefix)
    {
        var trimmed = (prefix ?? "/").TrimEnd('/');
        if (f.Name == "RewritePath" && f.Args.TryGetValue(PrefixMarker, out var replacement))
        {
            var to = replacement.TrimEnd('/');
            return Named("RewritePath", ("regexp", $"^{Regex.Escape(trimmed)}(?<rest>/.*)?$"), ("replacement", to + "${rest}"));
        }
        if (f.Name == "RequestRedirect" && f.Args.ContainsKey("replacePrefixMatch"))
            return f with { Args = new Dictionary<string, string>(f.Args) { ["prefix"] = trimmed.Length == 0 ? "/" : trimmed } };
        return f;
    }

    private static void Headers(HttpHeaderFilter h, string side, List<ComponentDefinition> result)
    {
        foreach (var s in h.Set ?? []) result.Add(Named($"Set{side}Header", ("name", s.Name!), ("value", s.Value ?? "")));
        foreach (var a in h.Add ?? []) result.Add(Named($"Add{side}Header", ("name", a.Name!), ("value", a.Value ?? "")));
        foreach (var r in h.Remove ?? []) result.Add(Named($"Remove{side}Header", ("name", r)));
    }
}
