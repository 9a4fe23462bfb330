using System.Text.RegularExpressions;

namespace Platform.Contracts.Routing;

/// <summary>Regex arguments of predicates (Header, Query, Cookie), matched against the whole value.</summary>
public static class RegexArg
{
    /// <summary>A whole-value regex (Spring uses <c>String.matches</c>), or null when the argument is absent.</summary>
    public static Regex? Optional(ComponentArgs args, string name, TimeSpan timeout)
    {
        var raw = args.Find(name);
        if (string.IsNullOrEmpty(raw)) return null;
        try { return new Regex($"^(?:{raw})$", RegexOptions.CultureInvariant, timeout); }
        catch (ArgumentException ex) { throw new GatewayArgumentException(name, $"invalid regex '{raw}': {ex.Message}"); }
    }
}
