using Platform.Contracts.Resources.GatewayApi;

namespace Platform.Contracts.Validation;

/// <summary>HTTPRoute: parents, hostnames, matches, filters and backendRefs, with Gateway API's limits and CEL messages.</summary>
public static partial class GatewayApiValidator
{
    /// <summary>The most a backendRef's weight may be.</summary>
    public const int MaxWeight = 1_000_000;

    private static readonly string[] PathTypes = ["Exact", "PathPrefix", "RegularExpression"];
    private static readonly string[] ValueMatchTypes = ["Exact", "RegularExpression"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];
    private static readonly string[] FilterTypes = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef"];
    private static readonly string[] ModifierTypes = ["ReplaceFullPath", "ReplacePrefixMatch"];
    private static readonly string[] Schemes = ["http", "https"];
    private static readonly int[] RedirectCodes = [301, 302, 303, 307, 308];

    public static void ValidateHttpRoute(HttpRoute route, FieldErrors errors)
    {
        var spec = route.Spec;
        if (spec.ParentRefs is not { Count: > 0 } parents) errors.Invalid("spec.parentRefs", "Required value");
        else
        {
            if (parents.Count > 32) errors.Invalid("spec.parentRefs", $"Too many: {parents.Count}: must have at most 32 items");
            for (var i = 0; i < parents.Count; i++)
            {
                var path = $"spec.parentRefs[{i}]";
                if (string.IsNullOrEmpty(parents[i]?.Name)) errors.Invalid(path + ".name", "Required value");
                if (parents[i]?.Port is { } port) InRange(port, 1, 65535, path + ".port", errors);
            }
        }
        for (var i = 0; i < (spec.Hostnames?.Count ?? 0); i++) CheckHostname(spec.Hostnames![i] ?? "", $"spec.hostnames[{i}]", errors);
        var rules = spec.Rules ?? [];
        if (rules.Count > 16) errors.Invalid("spec.rules", $"Too many: {rules.Count}: must have at most 16 items");
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var path = $"spec.rules[{i}]";
            if (rule is null) { errors.Invalid(path, "Required value"); continue; }
            if ((rule.Matches?.Count ?? 0) > 64) errors.Invalid(path + ".matches", $"Too many: {rule.Matches!.Count}: must have at most 64 items");
            for (var j = 0; j < (rule.Matches?.Count ?? 0); j++) CheckMatch(rule.Matches![j], $"{path}.matches[{j}]", errors);
            CheckFilters(rule.Filters, path + ".filters", rule.Matches, false, errors);
            // A redirect answers the request itself: Gateway API's CEL rule refuses a backend beside it.
            if (rule.BackendRefs is { Count: > 0 } && rule.Filters?.Any(f => f?.RequestRedirect is not null) == true)
                errors.Invalid(path, "Invalid value: \"object\": RequestRedirect filter must not be used together with backendRefs");
            CheckTimeouts(rule.Timeouts, path + ".timeouts", errors);
            for (var j = 0; j < (rule.BackendRefs?.Count ?? 0); j++)
            {
                var b = rule.BackendRefs![j];
                var bpath = $"{path}.backendRefs[{j}]";
                if (b is null) { errors.Invalid(bpath, "Required value"); continue; }
                CheckBackend(b.Group, b.Kind, b.Name, b.Port, bpath, errors);
                if (b.Weight is { } w) InRange(w, 0, MaxWeight, bpath + ".weight", errors);
                CheckFilters(b.Filters, bpath + ".filters", rule.Matches, true, errors);
            }
        }
    }

    private static void CheckMatch(HttpRouteMatch? m, string path, FieldErrors errors)
    {
        if (m is null) return;
        if (m.Path is { } p)
        {
            var type = p.Type ?? "PathPrefix";
            if (!PathTypes.Contains(type)) errors.Invalid(path + ".path.type", Unsupported(type, PathTypes));
            var value = p.Value ?? "/";
            if (value.Length > 1024) errors.Invalid(path + ".path.value", $"Too long: may not be more than 1024 bytes");
            if (type is "Exact" or "PathPrefix")
            {
                if (InvalidLiteralPath(value) is { } reason)
                    errors.Invalid(path + ".path", $"Invalid value: \"object\": {reason}");
            }
            else if (type == "RegularExpression") CheckRegex(value, path + ".path.value", errors);
        }
        CheckValueMatches(m.Headers?.Select(h => (h?.Type, h?.Name, h?.Value)).ToList(), path + ".headers", true, errors);
        CheckValueMatches(m.QueryParams?.Select(q => (q?.Type, q?.Name, q?.Value)).ToList(), path + ".queryParams", false, errors);
        if (m.Method is { } method && !Methods.Contains(method)) errors.Invalid(path + ".method", Unsupported(method, Methods));
    }

    /// <summary>The first of Gateway API's CEL rules on an <c>Exact</c> or <c>PathPrefix</c> value that it breaks, in their words.</summary>
    private static string? InvalidLiteralPath(string value)
    {
        const string types = " when type one of ['Exact', 'PathPrefix']";
        if (!value.StartsWith('/')) return "value must be an absolute path and start with '/'" + types;
        foreach (var part in new[] { "//", "/./", "/../", "%2f", "%2F", "#" })
            if (value.Contains(part, StringComparison.Ordinal)) return $"must not contain '{part}'" + types;
        foreach (var end in new[] { "/..", "/." })
            if (value.EndsWith(end, StringComparison.Ordinal)) return $"must not end with '{end}'" + types;
        return PathCharacters().IsMatch(value) ? null
            : "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
    }

    private static void CheckValueMatches(List<(string? Type, string? Name, string? Value)>? items, string path, bool caseInsensitive, FieldErrors errors)
    {
        var seen = new HashSet<string>(caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var (type, name, value) = items![i];
            var ipath = $"{path}[{i}]";
            if (type is { } t && !ValueMatchTypes.Contains(t)) errors.Invalid(ipath + ".type", Unsupported(t, ValueMatchTypes));
            if (string.IsNullOrEmpty(name)) errors.Invalid(ipath + ".name", "Required value");
            else if (!seen.Add(name)) errors.Invalid(path, $"Invalid value: \"array\": {(caseInsensitive ? "header" : "query param")} name must be unique in a match");
            if (value is null) errors.Invalid(ipath + ".value", "Required value");
            else if (type == "RegularExpression") CheckRegex(value, ipath + ".value", errors);
        }
    }

    private static void CheckRegex(string value, string path, FieldErrors errors)
    {
        try { _ = new System.Text.RegularExpressions.Regex(value, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); }
        catch (ArgumentException e) { errors.Invalid(path, $"Invalid value: \"{value}\": not a valid regular expression: {e.Message}"); }
    }

    /// <summary>Gateway API durations, and its CEL rule that a backend attempt may not outlast the request (0s: no timeout).</summary>
    private static void CheckTimeouts(HttpRouteTimeouts? timeouts, string path, FieldErrors errors)
    {
        if (timeouts is null) return;
        var request = Duration(timeouts.Request, path + ".request", errors);
        var backend = Duration(timeouts.BackendRequest, path + ".backendRequest", errors);
        if (request is { } r && r != TimeSpan.Zero && backend > r)
            errors.Invalid(path, "Invalid value: \"object\": backendRequest timeout cannot be longer than request timeout");

        static TimeSpan? Duration(string? value, string path, FieldErrors errors)
        {
            if (value is null) return null;
            if (GatewayApiDuration.TryParse(value, out var d)) return d;
            errors.Invalid(path, $"Invalid value: \"{value}\": {path} in body should match '^([0-9]{{1,5}}(h|m|s|ms)){{1,4}}$'");
            return null;
        }
    }

    /// <summary>A rule's or (<paramref name="backendRef"/>) a backendRef's filters; Gateway API's CEL rules word some messages apart for the latter.</summary>
    private static void CheckFilters(List<HttpRouteFilter>? filters, string path, List<HttpRouteMatch>? matches, bool backendRef, FieldErrors errors)
    {
        if (filters is null) return;
        var (redirectRule, rewriteRule) = backendRef
            ? ("Within backendRefs, when using RequestRedirect", "Within backendRefs, When using URLRewrite")
            : ("When using RequestRedirect", "When using URLRewrite");
        if (filters.Count > 16) errors.Invalid(path, $"Too many: {filters.Count}: must have at most 16 items");
        if (filters.Any(f => f?.Type == "RequestRedirect") && filters.Any(f => f?.Type == "URLRewrite"))
            errors.Invalid(path, "Invalid value: \"array\": May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
        foreach (var once in new[] { "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite" })
            if (filters.Count(f => f?.Type == once) > 1)
                errors.Invalid(path, $"Invalid value: \"array\": {once} filter cannot be repeated");
        for (var i = 0; i < filters.Count; i++)
        {
            var f = filters[i];
            var fpath = $"{path}[{i}]";
            if (f is null) { errors.Invalid(fpath, "Required value"); continue; }
            if (string.IsNullOrEmpty(f.Type)) { errors.Invalid(fpath + ".type", "Required value"); continue; }
            if (!FilterTypes.Contains(f.Type)) { errors.Invalid(fpath + ".type", Unsupported(f.Type, FilterTypes)); continue; }
            Exactly(f, fpath, errors);
            CheckHeaderFilter(f.RequestHeaderModifier, fpath + ".requestHeaderModifier", errors);
            CheckHeaderFilter(f.ResponseHeaderModifier, fpath + ".responseHeaderModifier", errors);
            if (f.RequestRedirect is { } redirect)
            {
                var rpath = fpath + ".requestRedirect";
                if (redirect.Scheme is { } s && !Schemes.Contains(s)) errors.Invalid(rpath + ".scheme", Unsupported(s, Schemes));
                if (redirect.StatusCode is { } code && !RedirectCodes.Contains(code))
                    errors.Invalid(rpath + ".statusCode", $"Unsupported value: {code}: supported values: {string.Join(", ", RedirectCodes)}");
                if (redirect.Port is { } port) InRange(port, 1, 65535, rpath + ".port", errors);
                if (redirect.Hostname is { } host) CheckHostname(host, rpath + ".hostname", errors);
                CheckModifier(redirect.Path, rpath + ".path", matches, redirectRule, errors);
            }
            if (f.UrlRewrite is { } rewrite)
            {
                if (rewrite.Hostname is { } host) CheckHostname(host, fpath + ".urlRewrite.hostname", errors);
                CheckModifier(rewrite.Path, fpath + ".urlRewrite.path", matches, rewriteRule, errors);
            }
            if (f.RequestMirror is { } mirror)
            {
                var mpath = fpath + ".requestMirror";
                if (mirror.BackendRef is not { } b) errors.Invalid(mpath + ".backendRef", "Required value");
                else CheckBackend(b.Group, b.Kind, b.Name, b.Port, mpath + ".backendRef", errors);
                if (mirror.Percent is { } pct) InRange(pct, 0, 100, mpath + ".percent", errors);
            }
            if (f.ExtensionRef is { } ext)
                foreach (var (value, field) in new[] { (ext.Group, "group"), (ext.Kind, "kind"), (ext.Name, "name") })
                    if (value is null || (field != "group" && value.Length == 0)) errors.Invalid($"{fpath}.extensionRef.{field}", "Required value");
        }
    }

    /// <summary>Gateway API's CEL pairing: the field named by <c>type</c> is set, and no other filter field is.</summary>
    private static void Exactly(HttpRouteFilter f, string path, FieldErrors errors)
    {
        foreach (var (type, field, set) in new (string, string, bool)[]
                 {
                     ("RequestHeaderModifier", "requestHeaderModifier", f.RequestHeaderModifier is not null),
                     ("ResponseHeaderModifier", "responseHeaderModifier", f.ResponseHeaderModifier is not null),
                     ("RequestMirror", "requestMirror", f.RequestMirror is not null),
                     ("RequestRedirect", "requestRedirect", f.RequestRedirect is not null),
                     ("URLRewrite", "urlRewrite", f.UrlRewrite is not null),
                     ("ExtensionRef", "extensionRef", f.ExtensionRef is not null),
                 })
        {
            if (f.Type == type && !set) errors.Invalid(path, $"Invalid value: \"object\": filter.{field} must be specified for {type} filter.type");
            if (f.Type != type && set) errors.Invalid(path, $"Invalid value: \"object\": filter.{field} must be nil if the filter.type is not {type}");
        }
    }

    private static void CheckHeaderFilter(HttpHeaderFilter? h, string path, FieldErrors errors)
    {
        if (h is null) return;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (list, field) in new[] { (h.Set, "set"), (h.Add, "add") })
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var name = list![i]?.Name;
                if (string.IsNullOrEmpty(name)) errors.Invalid($"{path}.{field}[{i}].name", "Required value");
                else if (!HeaderName().IsMatch(name)) errors.Invalid($"{path}.{field}[{i}].name", $"Invalid value: \"{name}\": {path}.{field}[{i}].name in body should match '^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$'");
                if (list[i]?.Value is null) errors.Invalid($"{path}.{field}[{i}].value", "Required value");
            }
        foreach (var name in h.Remove ?? [])
            if (!names.Add(name ?? "")) errors.Invalid(path + ".remove", $"Duplicate value: \"{name}\"");
    }

    /// <summary>A path modifier; <paramref name="rule"/> starts Gateway API's CEL message for a prefix replacement without a PathPrefix match.</summary>
    private static void CheckModifier(HttpPathModifier? m, string path, List<HttpRouteMatch>? matches, string rule, FieldErrors errors)
    {
        if (m is null) return;
        if (string.IsNullOrEmpty(m.Type)) { errors.Invalid(path + ".type", "Required value"); return; }
        if (!ModifierTypes.Contains(m.Type)) { errors.Invalid(path + ".type", Unsupported(m.Type, ModifierTypes)); return; }
        if (m.Type == "ReplaceFullPath" && m.ReplaceFullPath is null)
            errors.Invalid(path, "Invalid value: \"object\": replaceFullPath must be specified when type is set to 'ReplaceFullPath'");
        if (m.Type != "ReplaceFullPath" && m.ReplaceFullPath is not null)
            errors.Invalid(path, "Invalid value: \"object\": type must be 'ReplaceFullPath' when replaceFullPath is set");
        if (m.Type == "ReplacePrefixMatch" && m.ReplacePrefixMatch is null)
            errors.Invalid(path, "Invalid value: \"object\": replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'");
        if (m.Type != "ReplacePrefixMatch" && m.ReplacePrefixMatch is not null)
            errors.Invalid(path, "Invalid value: \"object\": type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
        // No matches means the default one, a PathPrefix on "/"; a match without a path defaults to that path too.
        if (m.Type == "ReplacePrefixMatch" && matches is { Count: > 0 } && (matches.Count != 1 || (matches[0]?.Path?.Type ?? "PathPrefix") != "PathPrefix"))
            errors.Invalid(path, $"Invalid value: \"object\": {rule} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
        foreach (var (value, field) in new[] { (m.ReplaceFullPath, "replaceFullPath"), (m.ReplacePrefixMatch, "replacePrefixMatch") })
            if (value is { } v && !v.StartsWith('/'))
                errors.Invalid($"{path}.{field}", $"Invalid value: \"{v}\": {path}.{field} in body should match '^/'");
    }

    private static void CheckBackend(string? group, string? kind, string? name, int? port, string path, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(name)) errors.Invalid(path + ".name", "Required value");
        if (port is { } p) InRange(p, 1, 65535, path + ".port", errors);
        else if ((group ?? "") == "" && (kind ?? "Service") == "Service") errors.Invalid(path, "Invalid value: \"object\": Must have port for Service reference");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")]
    private static partial System.Text.RegularExpressions.Regex PathCharacters();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")]
    private static partial System.Text.RegularExpressions.Regex HeaderName();
}
