using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.ApiServer.PodSecurity;

/// <summary>A Pod Security policy version: <c>latest</c> or <c>v1.N</c>.</summary>
internal readonly partial record struct PolicyVersion(int Minor, bool IsLatest)
{
    public static readonly PolicyVersion Latest = new(0, true);

    public static PolicyVersion V1(int minor) => new(minor, false);

    public override string ToString() => IsLatest ? "latest" : string.Create(CultureInfo.InvariantCulture, $"v1.{Minor}");

    public static bool TryParse(string? text, out PolicyVersion version)
    {
        version = Latest;
        if (text == "latest") return true;
        var m = VersionPattern().Match(text ?? "");
        if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        version = V1(minor);
        return true;
    }

    /// <summary>Kubernetes' <c>Older</c>: latest is newer than every numbered version.</summary>
    public bool OlderThan(PolicyVersion other) => !IsLatest && (other.IsLatest || Minor < other.Minor);

    [GeneratedRegex(@"^v1\.([0-9]|[1-9][0-9]{0,8})$")]
    private static partial Regex VersionPattern();
}
