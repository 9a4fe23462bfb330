using System.Text.RegularExpressions;

namespace Platform.Contracts.Routing;

/// <summary>Regex arguments of filters (RewritePath, RewriteResponseHeader): searched, not anchored, as Java's <c>replaceAll</c>.</summary>
public static class SpringRegex
{
    public static Regex Create(ComponentArgs args, string name, TimeSpan timeout)
    {
        var raw = args.Required(name);
        try { return new Regex(raw, RegexOptions.CultureInvariant, timeout); }
        catch (ArgumentException ex) { throw new GatewayArgumentException(name, $"invalid regex '{raw}': {ex.Message}"); }
    }

    /// <summary>YAML needs <c>$\{name}</c> where Java means <c>${name}</c>; .NET uses the same <c>${name}</c>.</summary>
    public static string Replacement(string text) => text.Replace("$\\", "$", StringComparison.Ordinal);
}
