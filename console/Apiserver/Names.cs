using System.Text.RegularExpressions;

namespace Platform.Console.Apiserver;

/// <summary>What a namespace, object or container name from a URL or form must look like before it goes into an apiserver path.</summary>
internal static partial class Names
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex Dns1123();

    public static bool IsValid(string? name) => name is not null && Dns1123().IsMatch(name);
}
