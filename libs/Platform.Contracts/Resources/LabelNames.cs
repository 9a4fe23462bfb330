using System.Text.RegularExpressions;

namespace Platform.Contracts.Resources;

/// <summary>Kubernetes naming rules for label keys/values and object names (DNS-1123).</summary>
public static partial class LabelNames
{
    /// <summary>A DNS-1123 label: at most 63 lower-case alphanumerics or '-', starting and ending alphanumeric.</summary>
    public static bool IsDns1123Label(string? s) => s is { Length: > 0 and <= 63 } && Dns1123Label().IsMatch(s);

    /// <summary>A DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels.</summary>
    public static bool IsDns1123Subdomain(string? s) => s is { Length: > 0 and <= 253 } && Dns1123Subdomain().IsMatch(s);

    /// <summary>One URL path segment (RBAC's role and binding names): 1 to 253 characters, no '/' or '%', not '.' or '..'.</summary>
    public static bool IsPathSegmentName(string? s) =>
        s is { Length: > 0 and <= 253 } && s is not ("." or "..") && s.IndexOfAny(['/', '%']) < 0 && !s.Any(char.IsControl);

    /// <summary>An optional DNS subdomain prefix and '/', then a name of at most 63 characters (alphanumerics, '-', '_', '.').</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var slash = key.IndexOf('/');
        var name = key;
        if (slash >= 0)
        {
            if (!IsDns1123Subdomain(key[..slash])) return false;
            name = key[(slash + 1)..];
        }
        return name.Length is > 0 and <= 63 && QualifiedName().IsMatch(name);
    }

    /// <summary>Empty, or at most 63 characters of alphanumerics, '-', '_', '.', starting and ending alphanumeric.</summary>
    public static bool IsValidValue(string? value) =>
        value is not null && (value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value)));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();
}
