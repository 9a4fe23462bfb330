using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.Files;

/// <summary>
/// Finds the property files of a request in a file tree the way Spring Boot's config data loader orders
/// them: for each profile from last to first, <c>{app}-{profile}</c> then <c>application-{profile}</c>; then
/// <c>{app}</c> and <c>application</c>. At one level <c>.properties</c> beats <c>.yml</c>/<c>.yaml</c>/<c>.json</c>,
/// and a later search location beats an earlier one.
/// </summary>
internal static class FolderPropertyLoader
{
    public static readonly string[] Extensions = [".properties", ".yml", ".yaml", ".json"];

    public static List<PropertySource> Load(IFileTree tree, IReadOnlyList<string> searchLocations, EnvironmentRequest request, string? label)
    {
        var locations = ExpandLocations(searchLocations, request, label);
        var sources = new List<PropertySource>();
        foreach (var baseName in BaseNames(request))
        {
            foreach (var location in locations)
            {
                foreach (var ext in Extensions)
                {
                    var path = Join(location, baseName + ext);
                    var properties = tree.ReadProperties(path, request.Profiles);
                    if (properties is null) continue;
                    sources.Add(new PropertySource(tree.SourceName(path), properties));
                }
            }
        }
        return sources;
    }

    /// <summary>The plain-text file <paramref name="path"/>, preferring a profile-specific variant (<c>nginx-dev.conf</c>).</summary>
    public static string? FindPlainText(IFileTree tree, IReadOnlyList<string> searchLocations, EnvironmentRequest request, string? label, string path)
    {
        var locations = ExpandLocations(searchLocations, request, label);
        var dir = Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "";
        var stem = Path.GetFileNameWithoutExtension(path);
        var ext = Path.GetExtension(path);
        foreach (var profile in request.ProfilesByPrecedence)
        {
            foreach (var location in locations)
            {
                var text = tree.ReadText(Join(location, Join(dir, $"{stem}-{profile}{ext}")));
                if (text is not null) return text;
            }
        }
        foreach (var location in locations)
        {
            var text = tree.ReadText(Join(location, path));
            if (text is not null) return text;
        }
        return null;
    }

    /// <summary>File names without extension, highest precedence first.</summary>
    private static IEnumerable<string> BaseNames(EnvironmentRequest request)
    {
        var names = request.NamesByPrecedence;
        foreach (var profile in request.ProfilesByPrecedence)
        {
            foreach (var name in names) yield return $"{name}-{profile}";
        }
        foreach (var name in names) yield return name;
    }

    /// <summary>Search locations with <c>{application}</c>, <c>{profile}</c>, <c>{label}</c> filled in, highest precedence (last listed) first.</summary>
    private static List<string> ExpandLocations(IReadOnlyList<string> searchLocations, EnvironmentRequest request, string? label)
    {
        var result = new List<string>();
        var apps = request.NamesByPrecedence.Count > 1 ? request.NamesByPrecedence.Where(n => n != "application").ToList() : [.. request.NamesByPrecedence];
        foreach (var location in searchLocations.Reverse())
        {
            var withLabel = location.Replace("{label}", label ?? "", StringComparison.Ordinal);
            foreach (var app in withLabel.Contains("{application}", StringComparison.Ordinal) ? apps : [apps[0]])
            {
                var withApp = withLabel.Replace("{application}", app, StringComparison.Ordinal);
                if (withApp.Contains("{profile}", StringComparison.Ordinal))
                {
                    foreach (var profile in request.ProfilesByPrecedence)
                        result.Add(Normalize(withApp.Replace("{profile}", profile, StringComparison.Ordinal)));
                }
                else result.Add(Normalize(withApp));
            }
        }
        return [.. result.Distinct()];
    }

    private static string Normalize(string location) => location.Replace('\\', '/').Trim('/');

    private static string Join(string location, string file) =>
        location.Length == 0 ? file.TrimStart('/') : location + "/" + file.TrimStart('/');
}
