using System.Text.RegularExpressions;

namespace Platform.Console.Config;

/// <summary>The shapes the config page accepts before it builds a config server path (the server checks them again).</summary>
internal static partial class ConfigNames
{
    public static bool IsApplication(string? value) => value is { Length: > 0 and <= 253 } && Application().IsMatch(value);

    /// <summary>Comma-separated profiles, as Spring writes them (<c>dev,eu</c>).</summary>
    public static bool IsProfiles(string? value) => value is { Length: > 0 and <= 253 } && Profiles().IsMatch(value);

    /// <summary>A git branch, tag or commit; <c>/</c> is written <c>(_)</c>, as Spring clients do.</summary>
    public static bool IsLabel(string? value) => value is { Length: > 0 and <= 253 } && Label().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex Application();

    [GeneratedRegex("^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$")]
    private static partial Regex Profiles();

    [GeneratedRegex(@"^[A-Za-z0-9_.()\-]+$")]
    private static partial Regex Label();
}
