namespace Platform.Contracts.Routing;

/// <summary>The gateway's built-in route predicates (Spring Cloud Gateway's names, arguments and shortcut order).</summary>
public static class PredicateSchemas
{
    private static ArgSchema Req(string name, ArgKind kind = ArgKind.Text) => new(name, kind, Required: true);
    private static ComponentSchema Gather(string name, ArgSchema arg, params ArgSchema[] more) =>
        new(name, [arg.Name], [arg, .. more]) { ShortcutType = ShortcutType.GatherList };

    public static readonly ComponentSchema Path = Gather("Path", Req("patterns", ArgKind.List) with { Aliases = ["pattern"] },
        new ArgSchema("matchTrailingSlash", ArgKind.Boolean));
    /// <summary><c>PathRegex=/v[0-9]+/.*</c>: the whole request path matches the regex (Gateway API's RegularExpression path match).</summary>
    public static readonly ComponentSchema PathRegex = new("PathRegex", ["regexp"], [Req("regexp", ArgKind.Regex)]);
    public static readonly ComponentSchema Host = Gather("Host", Req("patterns", ArgKind.List) with { Aliases = ["pattern"] });
    public static readonly ComponentSchema Method = Gather("Method", Req("methods", ArgKind.List) with { Aliases = ["method"] });
    public static readonly ComponentSchema Header = new("Header", ["header", "regexp"], [Req("header"), new("regexp", ArgKind.Regex)]);
    public static readonly ComponentSchema Query = new("Query", ["param", "regexp"], [Req("param"), new("regexp", ArgKind.Regex)]);
    public static readonly ComponentSchema Cookie = new("Cookie", ["name", "regexp"], [Req("name"), new("regexp", ArgKind.Regex)]);
    public static readonly ComponentSchema After = new("After", ["datetime"], [Req("datetime", ArgKind.DateTime)]);
    public static readonly ComponentSchema Before = new("Before", ["datetime"], [Req("datetime", ArgKind.DateTime)]);
    public static readonly ComponentSchema Between = new("Between", ["datetime1", "datetime2"], [Req("datetime1", ArgKind.DateTime), Req("datetime2", ArgKind.DateTime)]);
    public static readonly ComponentSchema RemoteAddr = Gather("RemoteAddr", Req("sources", ArgKind.CidrList));
    public static readonly ComponentSchema XForwardedRemoteAddr = Gather("XForwardedRemoteAddr", Req("sources", ArgKind.CidrList));
    public static readonly ComponentSchema Weight = new("Weight", ["group", "weight"], [Req("group"), Req("weight", ArgKind.Integer) with { Min = 0 }]);

    private static IReadOnlyDictionary<string, ComponentSchema>? _all;

    /// <summary>Every built-in predicate, by name (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, ComponentSchema> All => _all ??= ComponentSchemas.Collect(typeof(PredicateSchemas));
}
