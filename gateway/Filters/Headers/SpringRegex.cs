using System.Text.RegularExpressions;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

internal static class SpringRegex
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
