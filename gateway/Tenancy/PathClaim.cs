namespace Platform.Gateway.Tenancy;

/// <summary>
/// The paths one Path pattern can match, over-approximated: the literal segments before its first variable or
/// wildcard (<c>/web/**</c> → everything under <c>/web</c>), or the whole path when it has none (<c>/web/health</c>).
/// Compared without case, so a difference in case alone never lets two namespaces share a path.
/// </summary>
internal sealed record PathClaim(string Prefix, bool Exact)
{
    public static readonly PathClaim Everything = new("", Exact: false);

    public static PathClaim Of(string pattern)
    {
        var wildcard = pattern.IndexOfAny(['{', '}', '*', '?']);
        if (wildcard < 0) return new PathClaim(Trim(pattern), Exact: true);
        var slash = pattern.LastIndexOf('/', wildcard);
        return new PathClaim(slash <= 0 ? "" : Trim(pattern[..slash]), Exact: false);
    }

    public bool Overlaps(PathClaim other) => (Exact, other.Exact) switch
    {
        (true, true) => string.Equals(Prefix, other.Prefix, StringComparison.OrdinalIgnoreCase),
        (true, false) => Under(Prefix, other.Prefix),
        (false, true) => Under(other.Prefix, Prefix),
        _ => Under(Prefix, other.Prefix) || Under(other.Prefix, Prefix),
    };

    public override string ToString() => Exact ? Prefix : Prefix + "/**";

    /// <summary>Whether <paramref name="path"/> is <paramref name="prefix"/> or below it, segment-wise (<c>/webx</c> is not below <c>/web</c>).</summary>
    private static bool Under(string path, string prefix) =>
        prefix.Length == 0
        || string.Equals(path, prefix, StringComparison.OrdinalIgnoreCase)
        || (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && path[prefix.Length] == '/');

    /// <summary>Spring matches a trailing slash by default: <c>/a/</c> is <c>/a</c>.</summary>
    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path == "/" ? "" : path;
}
